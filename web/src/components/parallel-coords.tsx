// Parallel coordinates in plain SVG: one vertical axis per param and one for
// the metric; one polyline per experiment, coloured by the metric.
import type { ExperimentSummary } from '../lib/api'
import { href } from '../lib/route'
import { type Axis, heat } from '../lib/scales'

const H = 320
const PAD_T = 28
const PAD_B = 24

/** The parallel coordinates plot; `lower` says whether a low metric is good (colours the best lines bright). */
export function ParallelCoords({
  exps,
  axes,
  value,
  lower,
}: {
  exps: readonly ExperimentSummary[]
  axes: Axis[]
  value: (e: ExperimentSummary, axis: Axis) => unknown
  lower: boolean
}) {
  const gap = 140
  const W = Math.max(480, 60 + gap * (axes.length - 1) + 60)
  const xAt = (i: number) => 60 + i * gap
  const yAt = (p: number) => PAD_T + (1 - p) * (H - PAD_T - PAD_B)
  const metric = axes.at(-1)
  return (
    <svg className="pcoords" data-testid="parallel-coords" width={W} height={H} role="img" aria-label="parallel coordinates of params against the metric">
      {exps.map((e) => {
        const pts: string[] = []
        axes.forEach((a, i) => {
          const p = a.pos(value(e, a))
          if (p !== undefined) pts.push(`${xAt(i)},${yAt(p)}`)
        })
        const m = metric ? metric.pos(value(e, metric)) : undefined
        if (pts.length < 2 || m === undefined) return null
        return (
          <a key={e.name} href={href(`/exp/${encodeURIComponent(e.name)}`)}>
            <polyline points={pts.join(' ')} fill="none" stroke={heat(lower ? 1 - m : m)} strokeWidth={1.2} strokeOpacity={0.7}>
              <title>{e.name}</title>
            </polyline>
          </a>
        )
      })}
      {axes.map((a, i) => (
        <g key={a.key} transform={`translate(${xAt(i)},0)`}>
          <line y1={PAD_T} y2={H - PAD_B} stroke="#334155" />
          <text y={PAD_T - 10} textAnchor="middle" className="axis-title">
            {a.label}
            {a.log ? ' (log)' : ''}
          </text>
          {a.ticks.map((t) => (
            <g key={`${t.at}-${t.label}`} transform={`translate(0,${yAt(t.at)})`}>
              <line x2={-4} stroke="#334155" />
              <text x={-6} dy="0.32em" textAnchor="end" className="tick">
                {t.label.length > 14 ? `${t.label.slice(0, 13)}…` : t.label}
              </text>
            </g>
          ))}
        </g>
      ))}
    </svg>
  )
}
