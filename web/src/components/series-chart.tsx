// One chart: one series name (e.g. loss) for every selected experiment, its
// splits told apart by dash (train solid, valid dashed, others dotted). The
// min/max band of each bucket keeps spikes visible after downsampling; when
// runs are grouped, each group draws its mean or median with a band instead.
import { useEffect, useMemo, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { align, type LineXY, lineXY, nearest, type XMode } from '../lib/align'
import { withAlpha } from '../lib/colors'
import { num } from '../lib/format'
import { type Agg, aggregate, type BandKind } from '../lib/group'
import { useHiddenCount } from '../lib/use-hidden-count'
import { type LineSpec, type StepRange, useLineData } from '../lib/use-line-data'
import { CollapseBar, useCollapsedList } from './collapsed-list'

/** A line as the chart draws it. */
export interface ChartLine extends LineSpec {
  /** the experiment's name, or the part of it that differs from the other lines' */
  label: string
  /** the experiment's full name (and split), for tooltips */
  fullLabel?: string
  split: string
  color: string
  /** experiment start (ms), for relative time */
  t0: number
  /** the group the run belongs to when the chart groups runs */
  group?: string
}

/** How grouped runs are drawn. */
export interface GroupOptions {
  agg: Agg
  band: BandKind
  /** also draw the member runs, faintly */
  showRuns: boolean
}

export interface ChartOptions {
  xMode: XMode
  smoothing: number
  logY: boolean
  /** set when the lines carry groups */
  group?: GroupOptions | undefined
}

const HEIGHT = 240
// past this many lines the legend becomes a scrolling grid
const COMPACT_LEGEND = 6
// past this many (12 runs × train, valid) it collapses to a count with a search box
const COLLAPSED_LEGEND = 24
// per-run min/max bands only while they can still be told apart
const MAX_BAND_LINES = 20
const dashOf = (split: string): number[] | undefined => (split === 'train' || split === '' ? undefined : split === 'valid' ? [6, 4] : [2, 3])

/** What one drawn line is: a run, a group's aggregate, or a faint member of a group. */
interface Drawn {
  id: string
  label: string
  fullLabel: string
  color: string
  split: string
  band: boolean
  faint: boolean
  /** the chart lines it is made of (one for a run) */
  members: ChartLine[]
}

declare global {
  interface Window {
    /** draw timings for the benchmark: data arrival → chart drawn */
    __mldbChartDraws?: { title: string; points: number; lines: number; arrivedAt: number; drawnAt: number }[]
  }
}

/** The drawn lines of a chart: runs as they are, or per group and split an aggregate (members first, faint, when shown). */
function layoutOf(lines: ChartLine[], group: GroupOptions | undefined): Drawn[] {
  if (!group) {
    const band = lines.length <= MAX_BAND_LINES
    return lines.map((l) => ({ id: l.id, label: l.label, fullLabel: l.fullLabel ?? l.label, color: l.color, split: l.split, band, faint: false, members: [l] }))
  }
  const groups = new Map<string, ChartLine[]>()
  for (const l of lines) {
    const k = `${l.group ?? '–'}\u0000${l.split}`
    let g = groups.get(k)
    if (!g) {
      g = []
      groups.set(k, g)
    }
    g.push(l)
  }
  const out: Drawn[] = []
  if (group.showRuns)
    for (const l of lines)
      out.push({
        id: l.id,
        label: l.label,
        fullLabel: l.fullLabel ?? l.label,
        color: withAlpha(l.color, 0.28),
        split: l.split,
        band: false,
        faint: true,
        members: [l],
      })
  for (const [k, members] of groups) {
    const first = members[0] as ChartLine
    const name = `${first.group ?? '–'}${first.split ? ` · ${first.split}` : ''}`
    out.push({
      id: `group\u0000${k}`,
      label: `${name} (${members.length})`,
      fullLabel: `${name}: ${group.agg} of ${members.length} runs, band ${group.band === 'std' ? '±1 std' : 'min–max'}`,
      color: first.color,
      split: first.split,
      band: true,
      faint: false,
      members,
    })
  }
  return out
}

/** The chart of one series name across experiments, with zoom, grouping, hover highlight and live updates. */
export function SeriesChart({ title, lines, options }: { title: string; lines: ChartLine[]; options: ChartOptions }) {
  const [zoom, setZoom] = useState<{ x0: number; x1: number; range: StepRange } | undefined>()
  const wrapRef = useRef<HTMLDivElement>(null)
  const plotRef = useRef<uPlot | null>(null)
  const tipRef = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState<number | undefined>()
  // the bucket count follows the width in steps of 100 px, so a small resize reloads nothing
  const loadWidth = width === undefined ? undefined : Math.ceil(width / 100) * 100
  const layout = useMemo(() => layoutOf(lines, options.group), [lines, options.group])
  const bands = !options.group && lines.length <= MAX_BAND_LINES
  const times = options.xMode !== 'step'
  const load = useMemo(() => ({ width: loadWidth, bands, times }), [loadWidth, bands, times])
  const data = useLineData(lines, zoom?.range, load)
  const [focused, setFocused] = useState<string | undefined>()

  // Relative time counts from the experiment's start, or from its first point when
  // that is earlier (back-filled runs); fixed at the first full load so a zoom keeps it.
  const origins = useRef(new Map<string, number>())
  const lineXys = useMemo(() => {
    const out = new Map<string, LineXY>()
    for (const l of lines) {
      const buckets = data.lines.get(l.id)?.buckets ?? []
      let t0 = origins.current.get(l.id)
      if (t0 === undefined && buckets[0] && !zoom) {
        t0 = Math.min(l.t0, buckets[0].time)
        origins.current.set(l.id, t0)
      }
      out.set(l.id, lineXY({ id: l.id, buckets, t0: t0 ?? l.t0 }, options.xMode, options.smoothing, options.logY))
    }
    return out
  }, [lines, data, zoom, options.xMode, options.smoothing, options.logY])
  const xys = useMemo(
    () =>
      layout.map((d) => {
        if (d.members.length === 1 && !d.id.startsWith('group\u0000')) return lineXys.get(d.id) as LineXY
        return aggregate(
          d.members.map((m) => lineXys.get(m.id) as LineXY),
          options.group?.agg ?? 'mean',
          options.group?.band ?? 'minmax',
        )
      }),
    [layout, lineXys, options.group],
  )

  // Kept in refs so uPlot's hooks (made once per plot) see current values.
  const live = useRef({ lines, layout, xys, data, options, lineXys })
  live.current = { lines, layout, xys, data, options, lineXys }

  useEffect(() => {
    const el = wrapRef.current
    if (!el) return
    setWidth(Math.max(300, el.clientWidth))
    const ro = new ResizeObserver(() => setWidth(Math.max(300, el.clientWidth)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const bandFlags = useMemo(() => layout.map((d) => d.band), [layout])
  // uPlot series index of each drawn line's value (bands add two hidden series after it).
  const seriesIndex = useMemo(() => {
    const idx: number[] = []
    let k = 1
    for (const d of layout) {
      idx.push(k)
      k += d.band ? 3 : 1
    }
    return idx
  }, [layout])

  // The plot is rebuilt when its shape changes (lines, axes); data changes only call setData.
  const shapeKey = `${layout.map((d) => `${d.id}${d.color}${d.band}`).join('|')}#${options.xMode}#${options.logY}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt on shapeKey; data flows through setData
  useEffect(() => {
    const el = wrapRef.current
    if (!el) return
    const series: uPlot.Series[] = [{ label: options.xMode }]
    const bandList: uPlot.Band[] = []
    const valueSeries = new Set<number>()
    const many = layout.length > 60
    for (const d of layout) {
      const grouped = d.members.length > 1 || d.id.startsWith('group\u0000')
      series.push({
        label: d.label,
        stroke: d.color,
        width: grouped ? 2.25 : d.faint || many ? 1 : 1.5,
        dash: dashOf(d.split),
        spanGaps: true,
        points: { show: false },
      })
      valueSeries.add(series.length - 1)
      if (d.band) {
        const base = series.length - 1
        series.push({ label: `${d.label} min`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } })
        series.push({ label: `${d.label} max`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } })
        bandList.push({ series: [base + 2, base + 1], fill: withAlpha(d.color, grouped ? 0.2 : 0.14) })
      }
    }
    const opts: uPlot.Options = {
      width: el.clientWidth || width || 600,
      height: HEIGHT,
      series,
      bands: bandList,
      legend: { show: false },
      padding: [8, 22, 0, 4],
      scales: { x: { time: options.xMode === 'time' }, y: options.logY ? { distr: 3 } : {} },
      // hovering a line brings it forward and fades the others
      focus: { alpha: 0.15 },
      axes: [
        {
          stroke: '#475569',
          grid: { stroke: '#e2e8f0', width: 1 },
          ticks: { stroke: '#cbd5e1' },
          ...(options.xMode === 'relative' ? { values: (_u: uPlot, vals: number[]) => relTicks(vals) } : {}),
        },
        {
          stroke: '#475569',
          grid: { stroke: '#e2e8f0', width: 1 },
          ticks: { stroke: '#cbd5e1' },
          size: 56,
          values: (_u, vals) => vals.map((v) => (v === null ? '' : num(v))),
        },
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        focus: { prox: 24, dist: (_u, si, _di, valPos, curPos) => (valueSeries.has(si) ? valPos - curPos : Number.POSITIVE_INFINITY) },
        // aligned lines have gaps where other runs have points: find each line's nearest point
        hover: { skip: [null, undefined], prox: 64 },
      },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return
            const x0 = u.posToVal(u.select.left, 'x')
            const x1 = u.posToVal(u.select.left + u.select.width, 'x')
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
            const range = stepRange(live.current.lines, live.current.lineXys, live.current.data, x0, x1)
            if (range) setZoom({ x0, x1, range })
          },
        ],
        setSeries: [
          (u, si) => {
            const i = si === null ? -1 : seriesIndexOf(u, si, valueSeries)
            setFocused(i >= 0 ? live.current.layout[i]?.id : undefined)
          },
        ],
        setCursor: [(u) => showTip(u, tipRef.current, live.current.layout, live.current.xys, valueSeries)],
        draw: [
          (u) => {
            const d = live.current.data
            if (d.arrivedAt > 0) {
              window.__mldbChartDraws ??= []
              const list = window.__mldbChartDraws
              let points = 0
              let withData = 0
              for (const l of d.lines.values()) {
                if (l.buckets.length > 0) withData++
                for (const b of l.buckets) points += b.count
              }
              list.push({ title, points, lines: withData, arrivedAt: d.arrivedAt, drawnAt: performance.now() })
              if (list.length > 1000) list.splice(0, list.length - 1000)
              u.root.dataset.drawn = String(d.version)
            }
          },
        ],
      },
    }
    const u = new uPlot(
      opts,
      align(
        live.current.xys,
        layout.map((d) => d.band),
      ),
      el,
    )
    plotRef.current = u
    const onDbl = () => setZoom(undefined)
    u.over.addEventListener('dblclick', onDbl)
    return () => {
      u.over.removeEventListener('dblclick', onDbl)
      u.destroy()
      plotRef.current = null
    }
  }, [shapeKey])

  useEffect(() => {
    const u = plotRef.current
    if (!u) return
    u.setData(align(xys, bandFlags), !zoom)
    if (zoom) u.setScale('x', { min: zoom.x0, max: zoom.x1 })
  }, [xys, zoom, bandFlags])

  useEffect(() => {
    if (width !== undefined) plotRef.current?.setSize({ width, height: HEIGHT })
  }, [width])

  /** Brings one drawn line forward (from the legend), or none. */
  const highlight = (id: string | undefined) => {
    const u = plotRef.current
    if (!u) return
    const i = id === undefined ? -1 : layout.findIndex((d) => d.id === id)
    u.setSeries(i >= 0 ? (seriesIndex[i] as number) : null, { focus: i >= 0 })
  }

  const focusedItem = layout.find((d) => d.id === focused)
  return (
    <div className="chart-card" data-testid="chart" data-series={title} data-focused={focusedItem?.fullLabel ?? ''} data-lines={layout.length}>
      <div className="chart-title">
        <span>{title}</span>
        {focusedItem && (
          <span className="chart-focus small" data-testid="chart-focus" title={focusedItem.fullLabel}>
            <i style={{ background: focusedItem.color }} />
            {focusedItem.label}
          </span>
        )}
        {data.loading && <span className="muted small">loading…</span>}
        {data.error && <span className="error-text small">{data.error}</span>}
        {zoom && (
          <button type="button" className="btn ghost small" data-testid="reset-zoom" onClick={() => setZoom(undefined)}>
            reset zoom (live paused)
          </button>
        )}
      </div>
      <div className="chart-plot" ref={wrapRef}>
        <div className="chart-tip" ref={tipRef} />
      </div>
      <Legend layout={layout.filter((d) => !d.faint)} data={data} onHover={highlight} />
    </div>
  )
}

/** The legend: every line while few; then six rows and "+N more"; past a dozen runs, a count with a search box so the plot stays the main thing. */
function Legend({ layout, data, onHover }: { layout: Drawn[]; data: ReturnType<typeof useLineData>; onHover: (id: string | undefined) => void }) {
  const list = useCollapsedList(layout, COLLAPSED_LEGEND, 60, (d) => d.fullLabel)
  const { collapsed, needle, shown } = list
  const compact = shown.length > COMPACT_LEGEND
  // a compact legend shows a few whole rows; the rest open from "+N more" (they were cut off unseen)
  const [expanded, setExpanded] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  const hidden = useHiddenCount(box, `${shown.length}:${compact}:${expanded}`)
  return (
    <div className="chart-legend-wrap">
      {collapsed && (
        <CollapseBar list={list} label={`${layout.length} lines`} find="find a line" testId="legend">
          {needle && <span className="muted small">{shown.length === 60 ? 'first 60 matches' : `${shown.length} match${shown.length === 1 ? '' : 'es'}`}</span>}
        </CollapseBar>
      )}
      {shown.length > 0 && (
        <div className={`chart-legend${compact ? ' compact' : ''}${compact && expanded ? ' expanded' : ''}`} data-testid="chart-legend" ref={box}>
          {shown.map((d) => {
            const loaded = d.members.length === 1 ? data.lines.get(d.members[0]?.id ?? '') : undefined
            const lastB = loaded?.buckets.at(-1)
            return (
              // a button, so keyboard focus highlights a line as hovering does
              <button
                type="button"
                key={d.id}
                className="legend-item"
                data-testid="legend-item"
                data-line={d.id}
                data-last-step={loaded?.lastStep ?? ''}
                title={d.fullLabel}
                onMouseEnter={() => onHover(d.id)}
                onMouseLeave={() => onHover(undefined)}
                onFocus={() => onHover(d.id)}
                onBlur={() => onHover(undefined)}
              >
                <svg width="18" height="8" aria-hidden="true">
                  <line x1="0" y1="4" x2="18" y2="4" stroke={d.color} strokeWidth="2" strokeDasharray={dashOf(d.split)?.join(' ')} />
                </svg>
                <span className="legend-label">{d.label}</span>
                {d.members.length === 1 && <span className="muted">{lastB ? `${num(lastB.last)} @ ${loaded?.lastStep ?? lastB.step}` : '—'}</span>}
              </button>
            )
          })}
        </div>
      )}
      {compact && (hidden > 0 || expanded) && (
        <button type="button" className="btn ghost small legend-more" data-testid="legend-more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'show fewer' : `+${hidden} more`}
        </button>
      )}
    </div>
  )
}

/** The drawn line (layout index) of a uPlot series index, or -1 for a band edge. */
function seriesIndexOf(u: uPlot, si: number, valueSeries: Set<number>): number {
  if (!valueSeries.has(si)) return -1
  let i = -1
  for (let k = 1; k <= si && k < u.series.length; k++) if (valueSeries.has(k)) i++
  return i
}

/** Seconds as "42s", "3.5m", "1.2h". */
function relTime(v: number): string {
  const a = Math.abs(v)
  return a >= 3600 ? `${(v / 3600).toFixed(1)}h` : a >= 60 ? `${(v / 60).toFixed(1)}m` : `${v.toFixed(0)}s`
}

/** Relative-time ticks in one unit for the whole axis, so labels never repeat ("1.0h 1.0h 1.1h"). */
function relTicks(vals: number[]): string[] {
  const span = Math.max(...vals.map(Math.abs))
  const [div, unit] = span >= 7200 ? [3600, 'h'] : span >= 120 ? [60, 'm'] : [1, 's']
  const step = vals.length > 1 ? Math.abs((vals[1] as number) - (vals[0] as number)) / div : 1
  const digits = step >= 1 ? 0 : step >= 0.1 ? 1 : 2
  return vals.map((v) => `${(v / div).toFixed(digits)}${unit}`)
}

/** The step range whose points fall between x0 and x1 on screen, over every line (their x may be times). */
function stepRange(lines: ChartLine[], xys: Map<string, LineXY>, data: ReturnType<typeof useLineData>, x0: number, x1: number): StepRange | undefined {
  let lo: number | undefined
  let hi: number | undefined
  for (const l of lines) {
    const buckets = data.lines.get(l.id)?.buckets ?? []
    const xs = xys.get(l.id)?.xs
    if (!xs) continue
    let from: number | undefined
    let to: number | undefined
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k] as number
      const b = buckets[k]
      if (!b) continue
      // a bucket starting just left of x0 still holds points inside the range
      if (x <= x0) from = b.step
      if (x <= x1) to = (buckets[k + 1]?.step ?? b.step + 1) - 1
    }
    if (to === undefined) continue
    const f = from ?? buckets[0]?.step ?? 0
    lo = lo === undefined ? f : Math.min(lo, f)
    hi = hi === undefined ? Math.max(to, f) : Math.max(hi, to, f)
  }
  return lo === undefined || hi === undefined ? undefined : { from: lo, to: hi }
}

/** The tooltip: the hovered line first, then the values nearest the cursor, best first. */
function showTip(u: uPlot, tip: HTMLDivElement | null, layout: Drawn[], xys: LineXY[], valueSeries: Set<number>): void {
  if (!tip) return
  const { left, top } = u.cursor
  if (left === undefined || top === undefined || left < 0) {
    tip.style.display = 'none'
    return
  }
  const x = u.posToVal(left, 'x')
  let focusedIdx = -1
  u.series.forEach((s, si) => {
    if (si > 0 && valueSeries.has(si) && (s as { _focus?: boolean | null })._focus) focusedIdx = seriesIndexOf(u, si, valueSeries)
  })
  const rows: { label: string; color: string; v: number | null; focused: boolean }[] = []
  layout.forEach((d, i) => {
    if (d.faint && i !== focusedIdx) return
    const xy = xys[i] as LineXY
    const k = nearest(xy.xs, x)
    if (k >= 0) rows.push({ label: d.label, color: d.color, v: xy.ys[k] ?? null, focused: i === focusedIdx })
  })
  rows.sort((a, b) => (a.focused !== b.focused ? (a.focused ? -1 : 1) : (b.v ?? Number.NEGATIVE_INFINITY) - (a.v ?? Number.NEGATIVE_INFINITY)))
  const xText = u.scales.x?.time ? new Date(x * 1000).toLocaleString() : u.series[0]?.label === 'relative' ? relTime(x) : `step ${Math.round(x)}`
  tip.replaceChildren()
  const head = document.createElement('div')
  head.className = 'tip-head'
  head.textContent = xText ?? ''
  tip.append(head)
  const limit = focusedIdx >= 0 ? 8 : 16
  for (const r of rows.slice(0, limit)) {
    const row = document.createElement('div')
    row.className = r.focused ? 'tip-row focused' : 'tip-row'
    const sw = document.createElement('i')
    sw.style.background = r.color
    const name = document.createElement('span')
    name.textContent = r.label
    const val = document.createElement('b')
    val.textContent = num(r.v)
    row.append(sw, name, val)
    tip.append(row)
  }
  if (rows.length > limit) {
    const more = document.createElement('div')
    more.className = 'tip-more'
    more.textContent = `+ ${rows.length - limit} more`
    tip.append(more)
  }
  tip.style.display = 'block'
  const w = u.over.clientWidth
  tip.style.left = `${left + 60 > w - 220 ? left - 230 + u.over.offsetLeft : left + 16 + u.over.offsetLeft}px`
  tip.style.top = `${Math.max(0, top - 10)}px`
}
