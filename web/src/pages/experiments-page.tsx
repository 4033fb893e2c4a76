// Home: every experiment in one virtualised table. Columns, sort, filter and
// grouping live in the URL (#/?where=…&col=…&sort=…&desc=1&group=…).
import { createSortedRowModel, type Row, rowSortingFeature, type SortingState, tableFeatures, useTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { ColumnPicker } from '../components/column-picker'
import { FilterBox } from '../components/filter-box'
import { StatusBadge } from '../components/status-badge'
import type { ExperimentSummary } from '../lib/api'
import { fitWidths } from '../lib/column-widths'
import { availableKeys, type ColumnSpec, columnValue, defaultColumns, FIXED_COLUMNS, paramVariation, parseColumn } from '../lib/columns'
import { ago, duration, num, paramText } from '../lib/format'
import { href, navigate, setQuery, useRoute } from '../lib/route'
import { setSelection, toggleSelected, useSelection } from '../lib/selection'
import { useDirections } from '../lib/use-directions'
import { useExperiments } from '../lib/use-experiments'
import { type ProjectItem, tableProject, useProjects } from '../lib/use-projects'

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() })
type Feats = typeof features

const ROW_HEIGHT = 30
const CHECK_WIDTH = 36

const collator = new Intl.Collator(undefined, { numeric: true })

/** Numbers before strings, numbers by value, strings naturally. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  const sa = String(a)
  const sb = String(b)
  // "0.1" and "0.01" are equal to a numeric collator; break the tie so the order is total
  return collator.compare(sa, sb) || (sa < sb ? -1 : sa > sb ? 1 : 0)
}

function Cell({ e, c }: { e: ExperimentSummary; c: ColumnSpec }) {
  switch (c.id) {
    case 'name':
      return (
        <a href={href(`/exp/${encodeURIComponent(e.name)}`)} className="exp-link" data-testid="exp-link" title={e.name}>
          {e.name}
        </a>
      )
    case 'status':
      return <StatusBadge status={e.status} />
    case 'started':
      return <span title={e.startedAt ? new Date(e.startedAt).toLocaleString() : ''}>{ago(e.startedAt)}</span>
    case 'duration':
      return <>{duration(e.durationMs)}</>
    case 'project':
      return <>{e.project}</>
  }
  if (c.kind === 'param') return <span title={paramText(e.params[c.key])}>{paramText(e.params[c.key])}</span>
  const s = e.series[c.key]
  if (!s || s.count === 0) return <span className="muted">—</span>
  return <span title={`step ${s.lastStep}, ${s.count} points`}>{num(s[c.kind as 'last' | 'min' | 'max'])}</span>
}

/**
 * Which project the table shows: one (the most recently active by default) or all,
 * listed by latest activity (the first is the project someone is working in now).
 */
function ProjectPicker({ project, projects }: { project: string; projects: ProjectItem[] | undefined }) {
  const list = projects ?? []
  if (list.length < 2 && !project) return null
  const byActivity = list[0]?.latestAt !== undefined
  return (
    <select
      className="input select"
      data-testid="project-select"
      aria-label="project"
      value={project}
      // "all" is said in the link (all=1): no project in it means the latest one
      onChange={(e) => setQuery({ project: e.target.value || undefined, all: e.target.value ? undefined : '1', col: undefined })}
    >
      <option value="">all projects</option>
      {list.map((p, i) => (
        <option key={p.name} value={p.name}>
          {p.name} ({p.count.toLocaleString()}){i === 0 && byActivity ? ' · latest' : ''}
        </option>
      ))}
    </select>
  )
}

type Item = { type: 'group'; label: string; count: number } | { type: 'row'; row: Row<Feats, ExperimentSummary> }

/** The experiments table page. */
export function ExperimentsPage() {
  const { query } = useRoute()
  const where = query.get('where') ?? ''
  const projects = useProjects()
  const shown = tableProject(query, projects)
  const project = shown ?? ''
  const group = query.get('group') ?? ''
  const sortId = query.get('sort') ?? 'started'
  const desc = query.has('sort') ? query.get('desc') === '1' : true
  const { experiments, total, loading, error } = useExperiments(where, project, shown !== undefined)
  const selection = useSelection()
  const selected = useMemo(() => new Set(selection), [selection])
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())

  // Re-render every 30 s so "3m ago" stays true.
  const [, tick] = useState(0)
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 30_000)
    return () => clearInterval(t)
  }, [])

  const keys = useMemo(() => availableKeys(experiments), [experiments])
  // With no columns in the URL: the params that vary between these experiments, then the series (valid first).
  const constants = useMemo(() => paramVariation(experiments, keys.params).constant, [experiments, keys])
  const defaults = useMemo(() => defaultColumns(experiments).join('\u0000'), [experiments])
  const chosenKey = query.getAll('col').join('\u0000') || defaults
  // the key keeps the columns (and the table built on them) the same object across live updates
  const chosen = useMemo(() => (chosenKey ? chosenKey.split('\u0000') : []), [chosenKey])
  const specs = useMemo(() => [...FIXED_COLUMNS, ...chosen.map(parseColumn).filter((c): c is ColumnSpec => !!c && c.kind !== 'fixed')], [chosen])
  const widths = useMemo(() => fitWidths(specs, experiments).map((c) => c.width), [specs, experiments])
  // a series column sorts best first on the first click: highest for accuracy-like series (the server's rule)
  const directions = useDirections(specs.filter((c) => c.kind !== 'fixed' && c.kind !== 'param').map((c) => c.key))
  const widthOf = (i: number) => widths[i] ?? (specs[i] as ColumnSpec).width

  const columns = useMemo(
    () =>
      specs.map((c) => ({
        id: c.id,
        accessorFn: (e: ExperimentSummary) => columnValue(e, c),
        header: c.label,
        sortUndefined: 'last' as const,
        sortDescFirst: c.kind !== 'fixed' && c.kind !== 'param' && directions[c.key] === 'max',
        sortFn: (a: Row<Feats, ExperimentSummary>, b: Row<Feats, ExperimentSummary>, id: string) => compare(a.getValue(id), b.getValue(id)),
      })),
    [specs, directions],
  )
  const sorting: SortingState = useMemo(() => (specs.some((c) => c.id === sortId) ? [{ id: sortId, desc }] : []), [specs, sortId, desc])
  const table = useTable({
    features,
    columns,
    data: experiments,
    getRowId: (e) => e.name,
    state: { sorting },
    // first click sorts ascending, whatever the column's type, except a series best when highest (above)
    sortDescFirst: false,
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater
      const s = next[0]
      setQuery({ sort: s?.id, desc: s?.desc ? '1' : undefined })
    },
  })
  const rows = table.getRowModel().rows

  const groupSpec = group ? parseColumn(group) : undefined
  const items: Item[] = useMemo(() => {
    if (!groupSpec) return rows.map((row) => ({ type: 'row', row }))
    const groups = new Map<string, Row<Feats, ExperimentSummary>[]>()
    for (const row of rows) {
      const v = columnValue(row.original, groupSpec)
      const label = v === undefined ? '(none)' : typeof v === 'number' ? num(v) : v
      let g = groups.get(label)
      if (!g) {
        g = []
        groups.set(label, g)
      }
      g.push(row)
    }
    const out: Item[] = []
    for (const label of [...groups.keys()].sort((a, b) => compare(a, b))) {
      const g = groups.get(label) as Row<Feats, ExperimentSummary>[]
      out.push({ type: 'group', label, count: g.length })
      if (!collapsed.has(label)) for (const row of g) out.push({ type: 'row', row })
    }
    return out
  }, [rows, groupSpec, collapsed])

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 })
  // Keyboard: ↑/↓ (PageUp/PageDown, Home/End) move between rows, Space ticks one, Enter opens it.
  const [active, setActive] = useState(-1)
  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(items.length - 1, i))
    setActive(next)
    virtualizer.scrollToIndex(next)
    // the row may only exist after the scroll has rendered it
    requestAnimationFrame(() => (scrollRef.current?.querySelector(`[data-index="${next}"]`) as HTMLElement | null)?.focus({ preventScroll: true }))
  }
  const onKeyDown = (ev: React.KeyboardEvent) => {
    // a checkbox or link in a row keeps its own keys
    if ((ev.target as HTMLElement).closest('input, select, textarea, a')) return
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1)
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page }
    if (ev.key in step) {
      ev.preventDefault()
      moveTo((active < 0 ? -1 : active) + (step[ev.key] as number))
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault()
      moveTo(ev.key === 'Home' ? 0 : items.length - 1)
    } else if (ev.key === ' ' || ev.key === 'Enter') {
      const item = items[active]
      if (item?.type !== 'row' || !(ev.target as HTMLElement).classList.contains('grid-row')) return
      ev.preventDefault()
      if (ev.key === ' ') toggleSelected(item.row.original.name)
      else navigate(`/exp/${encodeURIComponent(item.row.original.name)}`)
    }
  }
  const width = CHECK_WIDTH + widths.reduce((w, c) => w + c, 0)
  const names = experiments.map((e) => e.name)
  const allSelected = names.length > 0 && names.every((n) => selected.has(n))

  return (
    <div className="page table-page">
      <div className="toolbar">
        <FilterBox value={where} error={error?.status === 400 ? error.message : undefined} onApply={(w) => setQuery({ where: w })} />
        <ProjectPicker project={project} projects={projects} />
        <select className="input select" data-testid="group-select" value={group} onChange={(e) => setQuery({ group: e.target.value })} title="group by">
          <option value="">no grouping</option>
          <option value="project">group by project</option>
          <option value="status">group by status</option>
          {keys.params.map((k) => (
            <option key={k} value={`params.${k}`}>
              group by {k}
            </option>
          ))}
        </select>
        <ColumnPicker
          params={keys.params}
          constants={constants}
          series={keys.series}
          chosen={chosen}
          onChange={(cols) => setQuery({ col: cols.length ? cols : ['none'] })}
        />
      </div>
      <div className="toolbar secondary">
        <span className="muted" data-testid="row-count">
          {loading ? 'loading…' : `${rows.length.toLocaleString()} of ${total.toLocaleString()} experiments`}
          {error?.status === 400 && ' (the last valid filter)'}
        </span>
        {error && error.status !== 400 && <span className="error-text">{error.message}</span>}
        <span className="spacer" />
        <span className="muted">{selection.length} selected</span>
        {selection.length > 0 && (
          <button type="button" className="btn ghost" onClick={() => setSelection([])}>
            clear
          </button>
        )}
        <button
          type="button"
          className="btn primary"
          data-testid="chart-button"
          disabled={selection.length === 0}
          onClick={() => navigate('/charts', { exp: [...selection] })}
        >
          Chart
        </button>
        <button
          type="button"
          className="btn"
          data-testid="compare-button"
          disabled={selection.length < 2}
          onClick={() => navigate('/compare', { exp: [...selection] })}
        >
          Compare
        </button>
        <button
          type="button"
          className="btn"
          data-testid="hparams-button"
          onClick={() => navigate('/hparams', { where, project, exp: selection.length > 1 ? [...selection] : undefined })}
        >
          Hyperparameters
        </button>
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the rows inside are the focusable items; keys bubble here */}
      <div className="grid-scroll" ref={scrollRef} data-testid="experiments-table" onKeyDown={onKeyDown}>
        <div className="grid-head" style={{ width }}>
          <div className="cell check-cell" style={{ width: CHECK_WIDTH }}>
            <input
              type="checkbox"
              aria-label="select all"
              checked={allSelected}
              onChange={() => setSelection(allSelected ? selection.filter((n) => !names.includes(n)) : [...selection, ...names])}
            />
          </div>
          {table.getHeaderGroups()[0]?.headers.map((h, i) => {
            const spec = specs[i] as ColumnSpec
            const dir = h.column.getIsSorted()
            return (
              <button
                type="button"
                key={h.id}
                className={`cell head-cell${spec.kind === 'fixed' ? '' : ' num'}${dir ? ' sorted' : ''}`}
                style={{ width: widthOf(i) }}
                data-testid="column-header"
                data-col={spec.id}
                title={`sort by ${spec.id}${directions[spec.key] && spec.kind !== 'fixed' && spec.kind !== 'param' ? ` (best ${directions[spec.key] === 'max' ? 'highest' : 'lowest'})` : ''}`}
                onClick={h.column.getToggleSortingHandler()}
              >
                <span className="head-label">{spec.label}</span>
                <span className="sort-mark">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}</span>
              </button>
            )
          })}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index] as Item
            if (item.type === 'group') {
              const isCollapsed = collapsed.has(item.label)
              return (
                <button
                  type="button"
                  key={`g:${item.label}`}
                  className="grid-group"
                  data-testid="group-row"
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width }}
                  onClick={() => {
                    const next = new Set(collapsed)
                    if (isCollapsed) next.delete(item.label)
                    else next.add(item.label)
                    setCollapsed(next)
                  }}
                >
                  {isCollapsed ? '▸' : '▾'} {groupSpec?.label} = <b>{item.label}</b> <span className="muted">({item.count})</span>
                </button>
              )
            }
            const e = item.row.original
            const isSel = selected.has(e.name)
            return (
              // biome-ignore lint/a11y/useSemanticElements: a virtualised grid of divs, not a table; its keys are handled by the grid (onKeyDown above)
              <div
                key={e.name}
                role="row"
                className={`grid-row${isSel ? ' selected' : ''}`}
                data-testid="exp-row"
                data-name={e.name}
                data-index={v.index}
                // one row is in the tab order (the active one, else the first); arrows move between them
                tabIndex={v.index === Math.max(active, 0) ? 0 : -1}
                aria-selected={isSel}
                onFocus={(ev) => {
                  if (ev.target === ev.currentTarget) setActive(v.index)
                }}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width }}
              >
                <div className="cell check-cell" style={{ width: CHECK_WIDTH }}>
                  <input type="checkbox" aria-label={`select ${e.name}`} data-testid="row-check" checked={isSel} onChange={() => toggleSelected(e.name)} />
                </div>
                {specs.map((c, i) => (
                  <div key={c.id} className={`cell${c.kind === 'fixed' ? '' : ' num'}`} style={{ width: widthOf(i) }} data-col={c.id}>
                    <Cell e={e} c={c} />
                  </div>
                ))}
              </div>
            )
          })}
        </div>
        {!loading && rows.length === 0 && !error && <div className="empty">No experiments{where ? ' match this filter' : ' yet'}.</div>}
      </div>
    </div>
  )
}
