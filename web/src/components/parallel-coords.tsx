// Parallel coordinates in plain SVG: one vertical axis per param and one for
// the metric; one polyline per experiment, coloured by the metric. Lines are
// drawn first and the axes on top, their labels above the axes and haloed, so
// 10,000 lines never hide them.
import type { ExperimentSummary } from '../lib/api'
import { href } from '../lib/route'
import { type Axis, heat } from '../lib/scales'

const H = 340
const PAD_T = 40
const PAD_B = 16
const PAD_X = 70

/**
 * The parallel coordinates plot, `width` px wide; `lower` says whether a low metric
 * is good (colours the best lines bright); a click on a number axis's title calls `onToggleLog`.
 */
export function ParallelCoords({
  exps,
  axes,
  value,
  lower,
  width,
  onToggleLog,
}: {
  exps: readonly ExperimentSummary[]
  axes: Axis[]
  value: (e: ExperimentSummary, axis: Axis) => unknown
  lower: boolean
  width: number
  onToggleLog?: (axis: Axis) => void
}) {
  const W = Math.max(480, width)
  const gap = axes.length > 1 ? (W - 2 * PAD_X) / (axes.length - 1) : 0
  const xAt = (i: number) => (axes.length > 1 ? PAD_X + i * gap : W / 2)
  const yAt = (p: number) => PAD_T + (1 - p) * (H - PAD_T - PAD_B)
  const metric = axes.at(-1)
  // a title gets the room between two axes; longer ones are cut with the full text in a tooltip
  const maxChars = Math.max(6, Math.floor((gap || W) / 7.5))
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
  // thinner, fainter lines as they get many, so the bright best ones stand out
  const stroke = exps.length > 2000 ? 0.6 : exps.length > 300 ? 0.9 : 1.3
  const opacity = exps.length > 2000 ? 0.35 : exps.length > 300 ? 0.5 : 0.75
  return (
    <svg className="pcoords" data-testid="parallel-coords" width={W} height={H} role="img" aria-label="parallel coordinates of params against the metric">
      <g className="lines">
        {exps.map((e) => {
          const pts: string[] = []
          axes.forEach((a, i) => {
            const p = a.pos(value(e, a))
            if (p !== undefined) pts.push(`${xAt(i).toFixed(1)},${yAt(p).toFixed(1)}`)
          })
          const m = metric ? metric.pos(value(e, metric)) : undefined
          if (pts.length < 2 || m === undefined) return null
          return (
            <a key={e.name} href={href(`/exp/${encodeURIComponent(e.name)}`)}>
              <polyline points={pts.join(' ')} fill="none" stroke={heat(lower ? 1 - m : m)} strokeWidth={stroke} strokeOpacity={opacity}>
                <title>{e.name}</title>
              </polyline>
            </a>
          )
        })}
      </g>
      {axes.map((a, i) => (
        <g key={a.key} transform={`translate(${xAt(i)},0)`} data-testid="pc-axis" data-key={a.key} data-log={a.log ? '1' : '0'}>
          <line y1={PAD_T} y2={H - PAD_B} stroke="#1e293b" strokeWidth={1.5} />
          {/* biome-ignore lint/a11y/noStaticElementInteractions: the same switch is in the toolbar as checkboxes */}
          <text
            y={PAD_T - 22}
            textAnchor="middle"
            className={`axis-title halo${a.canLog && onToggleLog ? ' switchable' : ''}`}
            data-testid="pc-axis-title"
            onClick={a.canLog && onToggleLog ? () => onToggleLog(a) : undefined}
          >
            <title>{`${a.label}${a.canLog ? ` — ${a.log ? 'log' : 'linear'} axis; click for ${a.log ? 'linear' : 'log'}` : ''}`}</title>
            {cut(a.label, maxChars)}
          </text>
          {a.kind === 'number' && (
            <text y={PAD_T - 9} textAnchor="middle" className="axis-scale halo">
              {a.log ? 'log' : 'linear'}
            </text>
          )}
          {a.ticks.map((t) => (
            <g key={`${t.at}-${t.label}`} transform={`translate(0,${yAt(t.at)})`}>
              <line x2={-4} stroke="#1e293b" />
              <text x={-6} dy="0.32em" textAnchor="end" className="tick halo">
                {cut(t.label, 14)}
              </text>
            </g>
          ))}
        </g>
      ))}
    </svg>
  )
}
