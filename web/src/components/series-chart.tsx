// One chart: one series name (e.g. loss) for every selected experiment, its
// splits told apart by dash (train solid, valid dashed, others dotted). The
// min/max band of each bucket keeps spikes visible after downsampling.
import { useEffect, useMemo, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { align, type LineXY, lineXY, nearest, type XMode } from '../lib/align'
import { withAlpha } from '../lib/colors'
import { num } from '../lib/format'
import { type LineSpec, type StepRange, useLineData } from '../lib/use-line-data'

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
}

export interface ChartOptions {
  xMode: XMode
  smoothing: number
  logY: boolean
}

const HEIGHT = 240
// past this many lines the legend becomes a scrolling grid
const COMPACT_LEGEND = 6
const dashOf = (split: string): number[] | undefined => (split === 'train' || split === '' ? undefined : split === 'valid' ? [6, 4] : [2, 3])

declare global {
  interface Window {
    /** draw timings for the benchmark: data arrival → chart drawn */
    __mldbChartDraws?: { title: string; points: number; arrivedAt: number; drawnAt: number }[]
  }
}

/** The chart of one series name across experiments, with zoom, tooltip and live updates. */
export function SeriesChart({ title, lines, options }: { title: string; lines: ChartLine[]; options: ChartOptions }) {
  const [zoom, setZoom] = useState<{ x0: number; x1: number; ranges: Map<string, StepRange> } | undefined>()
  const data = useLineData(lines, zoom?.ranges)
  const wrapRef = useRef<HTMLDivElement>(null)
  const plotRef = useRef<uPlot | null>(null)
  const tipRef = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(600)

  // Relative time counts from the experiment's start, or from its first point when
  // that is earlier (back-filled runs); fixed at the first full load so a zoom keeps it.
  const origins = useRef(new Map<string, number>())
  const xys = useMemo(() => {
    const out: LineXY[] = []
    for (const l of lines) {
      const buckets = data.lines.get(l.id)?.buckets ?? []
      let t0 = origins.current.get(l.id)
      if (t0 === undefined && buckets[0] && !zoom) {
        t0 = Math.min(l.t0, buckets[0].time)
        origins.current.set(l.id, t0)
      }
      out.push(lineXY({ id: l.id, buckets, t0: t0 ?? l.t0 }, options.xMode, options.smoothing, options.logY))
    }
    return out
  }, [lines, data, zoom, options.xMode, options.smoothing, options.logY])

  // Kept in refs so uPlot's hooks (made once per plot) see current values.
  const live = useRef({ lines, xys, data, options })
  live.current = { lines, xys, data, options }

  useEffect(() => {
    const el = wrapRef.current
    if (!el) return
    const ro = new ResizeObserver(() => setWidth(Math.max(300, el.clientWidth)))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  // The plot is rebuilt when its shape changes (lines, axes); data changes only call setData.
  const shapeKey = `${lines.map((l) => `${l.id}${l.color}`).join('|')}#${options.xMode}#${options.logY}`
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt on shapeKey; data flows through setData
  useEffect(() => {
    const el = wrapRef.current
    if (!el) return
    const series: uPlot.Series[] = [{ label: options.xMode }]
    const bands: uPlot.Band[] = []
    lines.forEach((l, i) => {
      series.push({ label: l.label, stroke: l.color, width: 1.5, dash: dashOf(l.split), spanGaps: true, points: { show: false } })
      series.push({ label: `${l.label} min`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } })
      series.push({ label: `${l.label} max`, stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } })
      const base = 1 + i * 3
      bands.push({ series: [base + 2, base + 1], fill: withAlpha(l.color, 0.14) })
    })
    const opts: uPlot.Options = {
      width: el.clientWidth || width,
      height: HEIGHT,
      series,
      bands,
      legend: { show: false },
      padding: [8, 22, 0, 4],
      scales: { x: { time: options.xMode === 'time' }, y: options.logY ? { distr: 3 } : {} },
      axes: [
        {
          stroke: '#475569',
          grid: { stroke: '#e2e8f0', width: 1 },
          ticks: { stroke: '#cbd5e1' },
          ...(options.xMode === 'relative' ? { values: (_u: uPlot, vals: number[]) => vals.map(relTime) } : {}),
        },
        {
          stroke: '#475569',
          grid: { stroke: '#e2e8f0', width: 1 },
          ticks: { stroke: '#cbd5e1' },
          size: 56,
          values: (_u, vals) => vals.map((v) => (v === null ? '' : num(v))),
        },
      ],
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return
            const x0 = u.posToVal(u.select.left, 'x')
            const x1 = u.posToVal(u.select.left + u.select.width, 'x')
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
            setZoom({ x0, x1, ranges: stepRanges(live.current.lines, live.current.xys, live.current.data, x0, x1) })
          },
        ],
        setCursor: [(u) => showTip(u, tipRef.current, live.current.lines, live.current.xys)],
        draw: [
          (u) => {
            const d = live.current.data
            if (d.arrivedAt > 0) {
              window.__mldbChartDraws ??= []
              const list = window.__mldbChartDraws
              let points = 0
              for (const l of d.lines.values()) for (const b of l.buckets) points += b.count
              list.push({ title, points, arrivedAt: d.arrivedAt, drawnAt: performance.now() })
              if (list.length > 1000) list.splice(0, list.length - 1000)
              u.root.dataset.drawn = String(d.version)
            }
          },
        ],
      },
    }
    const u = new uPlot(opts, align(live.current.xys), el)
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
    u.setData(align(xys), !zoom)
    if (zoom) u.setScale('x', { min: zoom.x0, max: zoom.x1 })
  }, [xys, zoom])

  useEffect(() => {
    plotRef.current?.setSize({ width, height: HEIGHT })
  }, [width])

  return (
    <div className="chart-card" data-testid="chart" data-series={title}>
      <div className="chart-title">
        <span>{title}</span>
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
      {/* many lines: a grid of a few rows that scrolls, so the plot stays the main thing */}
      <div className={`chart-legend${lines.length > COMPACT_LEGEND ? ' compact' : ''}`} data-testid="chart-legend">
        {lines.map((l) => {
          const loaded = data.lines.get(l.id)
          const lastB = loaded?.buckets.at(-1)
          return (
            <span
              key={l.id}
              className="legend-item"
              data-testid="legend-item"
              data-line={l.id}
              data-last-step={loaded?.lastStep ?? ''}
              title={l.fullLabel ?? l.label}
            >
              <svg width="18" height="8" aria-hidden="true">
                <line x1="0" y1="4" x2="18" y2="4" stroke={l.color} strokeWidth="2" strokeDasharray={dashOf(l.split)?.join(' ')} />
              </svg>
              <span className="legend-label">{l.label}</span>
              <span className="muted">{lastB ? `${num(lastB.last)} @ ${loaded?.lastStep ?? lastB.step}` : '—'}</span>
            </span>
          )
        })}
      </div>
    </div>
  )
}

/** Seconds as "42s", "3.5m", "1.2h". */
function relTime(v: number): string {
  const a = Math.abs(v)
  return a >= 3600 ? `${(v / 3600).toFixed(1)}h` : a >= 60 ? `${(v / 60).toFixed(1)}m` : `${v.toFixed(0)}s`
}

/** Per line, the step range whose points fall between x0 and x1 on screen. */
function stepRanges(lines: ChartLine[], xys: LineXY[], data: ReturnType<typeof useLineData>, x0: number, x1: number): Map<string, StepRange> {
  const out = new Map<string, StepRange>()
  lines.forEach((l, i) => {
    const buckets = data.lines.get(l.id)?.buckets ?? []
    const xs = (xys[i] as LineXY).xs
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
    if (to !== undefined) out.set(l.id, { from: from ?? buckets[0]?.step ?? 0, to: Math.max(to, from ?? 0) })
  })
  return out
}

/** The tooltip: every line's value nearest the cursor, best first. */
function showTip(u: uPlot, tip: HTMLDivElement | null, lines: ChartLine[], xys: LineXY[]): void {
  if (!tip) return
  const { left, top } = u.cursor
  if (left === undefined || top === undefined || left < 0) {
    tip.style.display = 'none'
    return
  }
  const x = u.posToVal(left, 'x')
  const rows: { label: string; color: string; v: number | null }[] = []
  lines.forEach((l, i) => {
    const xy = xys[i] as LineXY
    const k = nearest(xy.xs, x)
    if (k >= 0) rows.push({ label: l.label, color: l.color, v: xy.ys[k] ?? null })
  })
  rows.sort((a, b) => (b.v ?? Number.NEGATIVE_INFINITY) - (a.v ?? Number.NEGATIVE_INFINITY))
  const xText = u.scales.x?.time ? new Date(x * 1000).toLocaleString() : u.series[0]?.label === 'relative' ? relTime(x) : `step ${Math.round(x)}`
  tip.replaceChildren()
  const head = document.createElement('div')
  head.className = 'tip-head'
  head.textContent = xText
  tip.append(head)
  for (const r of rows.slice(0, 24)) {
    const row = document.createElement('div')
    row.className = 'tip-row'
    const sw = document.createElement('i')
    sw.style.background = r.color
    const name = document.createElement('span')
    name.textContent = r.label
    const val = document.createElement('b')
    val.textContent = num(r.v)
    row.append(sw, name, val)
    tip.append(row)
  }
  tip.style.display = 'block'
  const w = u.over.clientWidth
  tip.style.left = `${left + 60 > w - 220 ? left - 230 + u.over.offsetLeft : left + 16 + u.over.offsetLeft}px`
  tip.style.top = `${Math.max(0, top - 10)}px`
}
