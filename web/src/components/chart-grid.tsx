// One chart per series name for a set of experiments, with the controls that
// apply to all of them (x axis, smoothing, log scale, grouping) kept in the URL.
import { useMemo, useState } from 'react'
import type { XMode } from '../lib/align'
import type { ExperimentSummary } from '../lib/api'
import { runColor } from '../lib/colors'
import { paramText } from '../lib/format'
import type { Agg, BandKind } from '../lib/group'
import { setQuery, useRoute } from '../lib/route'
import { shortNames } from '../lib/short-names'
import { type ChartLine, type ChartOptions, type GroupOptions, SeriesChart } from './series-chart'

/** The group of an experiment under a group-by key: `project`, `status`, `params.X` or `tags.X`. */
export function groupOf(e: ExperimentSummary, by: string): string {
  if (by === 'project') return e.project
  if (by === 'status') return e.status
  if (by.startsWith('params.')) return paramText(e.params[by.slice(7)])
  if (by.startsWith('tags.')) return e.tags[by.slice(5)] ?? '–'
  return '–'
}

/** The keys runs can be grouped by: project, status, then every param and tag the runs hold. */
export function groupKeys(exps: readonly ExperimentSummary[]): string[] {
  const keys = ['project', 'status']
  const params = new Set<string>()
  const tags = new Set<string>()
  for (const e of exps) {
    for (const k of Object.keys(e.params)) params.add(k)
    for (const k of Object.keys(e.tags)) tags.add(k)
  }
  for (const k of [...params].sort()) keys.push(`params.${k}`)
  for (const k of [...tags].sort()) keys.push(`tags.${k}`)
  return keys
}

/** The split the system-metrics integrations log under (src/api/system-metrics.ts): `system/cpu_percent`... */
export const SYSTEM_SPLIT = 'system'

/**
 * Groups the experiments' series by name into chart lines (a `system` series under `system/NAME`, charted in its own group), labelled by the part of their names that differs.
 * With `groupBy`, runs of a group share their group's colour.
 *
 * @example chartLines(exps, 'params.lr').get('loss')
 */
export function chartLines(exps: readonly ExperimentSummary[], groupBy?: string): Map<string, ChartLine[]> {
  const byName = new Map<string, ChartLine[]>()
  const short = shortNames(exps.map((e) => e.name))
  const groupIndex = new Map<string, number>()
  if (groupBy) {
    const values = [...new Set(exps.map((e) => groupOf(e, groupBy)))]
    // numbers in numeric order, so a colour walk follows lr 1e-4 → 1e-1
    values.sort((a, b) => (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : a.localeCompare(b)))
    for (const [i, v] of values.entries()) groupIndex.set(v, i)
  }
  exps.forEach((e, i) => {
    const keys = Object.keys(e.series).sort()
    const group = groupBy ? groupOf(e, groupBy) : undefined
    const color = runColor(group === undefined ? i : (groupIndex.get(group) ?? 0))
    for (const key of keys) {
      const s = e.series[key]
      if (!s) continue
      // machine series (cpu, memory, gpu from the integrations) chart apart from the model's;
      // such a chart holds one split, so its lines are solid and named by run alone
      const system = s.split === SYSTEM_SPLIT
      const chart = system ? `${SYSTEM_SPLIT}/${s.name}` : s.name
      const split = system ? '' : s.split
      let list = byName.get(chart)
      if (!list) {
        list = []
        byName.set(chart, list)
      }
      list.push({
        id: `${e.name}\u0000${key}`,
        exp: e.name,
        key,
        split,
        label: split ? `${short[i]} · ${split}` : (short[i] as string),
        fullLabel: split ? `${e.name} · ${split}` : e.name,
        color,
        lastStep: s.lastStep,
        t0: e.startedAt ?? e.createdAt,
        ...(group === undefined ? {} : { group }),
      })
    }
  })
  // loss first, then alphabetical: the chart people look at first
  return new Map([...byName].sort(([a], [b]) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b))))
}

/** The chart controls and the charts. */
export function ChartGrid({ exps }: { exps: readonly ExperimentSummary[] }) {
  const { query } = useRoute()
  const xMode = (['step', 'time', 'relative'].includes(query.get('x') ?? '') ? query.get('x') : 'step') as XMode
  const smoothing = Math.min(0.99, Math.max(0, Number(query.get('smooth') ?? 0) || 0))
  const logY = query.get('log') === '1'
  const keys = useMemo(() => (exps.length > 1 ? groupKeys(exps) : []), [exps])
  const groupBy = keys.includes(query.get('group') ?? '') ? (query.get('group') as string) : undefined
  const agg: Agg = query.get('agg') === 'median' ? 'median' : 'mean'
  const band: BandKind = query.get('band') === 'std' ? 'std' : 'minmax'
  const showRuns = query.get('runs') === '1'
  const group = useMemo<GroupOptions | undefined>(() => (groupBy ? { agg, band, showRuns } : undefined), [groupBy, agg, band, showRuns])
  const options = useMemo(() => ({ xMode, smoothing, logY, group }), [xMode, smoothing, logY, group])
  // Lines change identity only when a series appears (or a group changes), not on every live update.
  const shape = exps.map((e) => `${e.name}:${Object.keys(e.series).sort().join(',')}:${groupBy ? groupOf(e, groupBy) : ''}`).join('|')
  // biome-ignore lint/correctness/useExhaustiveDependencies: recomputed when the set of series changes
  const charts = useMemo(() => chartLines(exps, groupBy), [shape, groupBy])
  const model = [...charts].filter(([name]) => !name.startsWith(`${SYSTEM_SPLIT}/`))
  const system = [...charts].filter(([name]) => name.startsWith(`${SYSTEM_SPLIT}/`))

  return (
    <div className="chart-grid-wrap">
      <div className="toolbar chart-controls">
        <label className="control">
          x axis
          <select
            className="input select"
            data-testid="x-mode"
            value={xMode}
            onChange={(e) => setQuery({ x: e.target.value === 'step' ? undefined : e.target.value })}
          >
            <option value="step">step</option>
            <option value="time">wall time</option>
            <option value="relative">relative time</option>
          </select>
        </label>
        <label className="control">
          smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            data-testid="smoothing"
            onChange={(e) => setQuery({ smooth: e.target.value === '0' ? undefined : e.target.value })}
          />
          <span className="mono small">{smoothing.toFixed(2)}</span>
        </label>
        <label className="control">
          <input type="checkbox" checked={logY} data-testid="log-y" onChange={(e) => setQuery({ log: e.target.checked ? '1' : undefined })} /> log y
        </label>
        {keys.length > 0 && (
          <label className="control">
            group by
            <select className="input select" data-testid="group-by" value={groupBy ?? ''} onChange={(e) => setQuery({ group: e.target.value || undefined })}>
              <option value="">none</option>
              {keys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        )}
        {groupBy && (
          <>
            <label className="control">
              line
              <select
                className="input select"
                data-testid="group-agg"
                value={agg}
                onChange={(e) => setQuery({ agg: e.target.value === 'mean' ? undefined : e.target.value })}
              >
                <option value="mean">mean</option>
                <option value="median">median</option>
              </select>
            </label>
            <label className="control">
              band
              <select
                className="input select"
                data-testid="group-band"
                value={band}
                onChange={(e) => setQuery({ band: e.target.value === 'minmax' ? undefined : e.target.value })}
              >
                <option value="minmax">min–max</option>
                <option value="std">±1 std</option>
              </select>
            </label>
            <label className="control">
              <input type="checkbox" checked={showRuns} data-testid="group-runs" onChange={(e) => setQuery({ runs: e.target.checked ? '1' : undefined })} />{' '}
              runs
            </label>
          </>
        )}
        <span className="muted small">drag to zoom · double-click to reset · train solid, valid dashed</span>
      </div>
      {charts.size === 0 && <div className="empty">These experiments have no series yet.</div>}
      <div className="chart-grid">
        {model.map(([name, lines]) => (
          <SeriesChart key={name} title={name} lines={lines} options={options} />
        ))}
      </div>
      {system.length > 0 && <SystemGroup charts={system} options={options} />}
    </div>
  )
}

/** The machine's charts (cpu, memory, gpu), one group below the model's, folded away on a click. */
function SystemGroup({ charts, options }: { charts: [string, ChartLine[]][]; options: ChartOptions }) {
  const [open, setOpen] = useState(true)
  const names = charts.map(([name]) => name.slice(SYSTEM_SPLIT.length + 1))
  return (
    <details className="chart-group" data-testid="chart-group" data-group={SYSTEM_SPLIT} open onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span className="chart-group-title">System</span>{' '}
        <span className="muted small">
          {charts.length} {charts.length === 1 ? 'chart' : 'charts'}: {names.join(', ')}
        </span>
      </summary>
      {/* folded, its charts load nothing */}
      {open && (
        <div className="chart-grid">
          {charts.map(([name, lines]) => (
            <SeriesChart key={name} title={name} lines={lines} options={options} />
          ))}
        </div>
      )}
    </details>
  )
}
