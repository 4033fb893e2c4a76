// One param against the metric, one dot per experiment (plain SVG).
import type { ExperimentSummary } from '../lib/api'
import { num } from '../lib/format'
import { href } from '../lib/route'
import type { Axis } from '../lib/scales'

const H = 340
const L = 64
const R = 16
const T = 16
const B = 40

/** The scatter plot of axis `x` (a param) against axis `y` (the metric), `width` px wide. */
export function ScatterPlot({
  exps,
  x,
  y,
  value,
  width,
}: {
  exps: readonly ExperimentSummary[]
  x: Axis
  y: Axis
  value: (e: ExperimentSummary, a: Axis) => unknown
  /** px: the card's width */
  width: number
}) {
  const W = Math.max(360, width)
  const px = (p: number) => L + p * (W - L - R)
  const py = (p: number) => T + (1 - p) * (H - T - B)
  // categories get a little jitter so equal values do not hide each other
  const jitter = (name: string) => (x.kind === 'category' ? ((hash(name) % 100) / 100 - 0.5) * 0.06 : 0)
  return (
    <svg className="scatter" data-testid="scatter" width={W} height={H} role="img" aria-label={`${x.label} against ${y.label}`}>
      <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke="#334155" />
      <line x1={L} x2={L} y1={T} y2={H - B} stroke="#334155" />
      {x.ticks.map((t) => (
        <text key={`x${t.at}${t.label}`} x={px(t.at)} y={H - B + 16} textAnchor="middle" className="tick halo">
          {t.label}
        </text>
      ))}
      {y.ticks.map((t) => (
        <text key={`y${t.at}${t.label}`} x={L - 6} y={py(t.at)} dy="0.32em" textAnchor="end" className="tick halo">
          {t.label}
        </text>
      ))}
      <text x={(L + W - R) / 2} y={H - 6} textAnchor="middle" className="axis-title">
        {x.label}
        {x.log ? ' (log)' : ''}
      </text>
      <text transform={`translate(14,${(T + H - B) / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">
        {y.label}
      </text>
      {exps.map((e) => {
        const vx = value(e, x)
        const vy = value(e, y)
        const a = x.pos(vx)
        const b = y.pos(vy)
        if (a === undefined || b === undefined) return null
        return (
          <a key={e.name} href={href(`/exp/${encodeURIComponent(e.name)}`)}>
            <circle cx={px(a + jitter(e.name))} cy={py(b)} r={3.5} fill="#2563eb" fillOpacity={0.65} stroke="#1e3a8a" strokeWidth={0.5}>
              <title>{`${e.name}\n${x.label} = ${typeof vx === 'number' ? num(vx) : String(vx)}\n${y.label} = ${typeof vy === 'number' ? num(vy) : String(vy)}`}</title>
            </circle>
          </a>
        )
      })}
    </svg>
  )
}

function hash(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0
  return Math.abs(h)
}
