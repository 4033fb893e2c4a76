// #/sweeps: every sweep; #/sweeps/<name>: the best value so far over trials,
// parallel coordinates of the params against the metric, each param's
// importance (a named, simple measure) and the trials table.
import { StatusBadge } from '../components/status-badge'
import { ago, num, paramText } from '../lib/format'
import { href } from '../lib/route'
import { heat, makeAxis } from '../lib/scales'
import { bestSoFar, importance } from '../lib/sweep-stats'
import { sweepsApi, type TrialInfo } from '../lib/sweeps-api'
import { useFetch } from '../lib/use-fetch'

type Flat = TrialInfo & { flat: Record<string, unknown> }

function flatten(params: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out)
    else out[key] = v
  }
  return out
}

function SweepList() {
  const { data, error } = useFetch(() => sweepsApi.list(), [])
  const sweeps = data?.sweeps
  if (error) return <div className="error-text">{error}</div>
  if (!sweeps) return <div className="muted">loading…</div>
  if (sweeps.length === 0)
    return (
      <div className="muted" data-testid="no-sweeps">
        no sweeps yet — <span className="mono">mldb sweep create sweep.yaml</span>
      </div>
    )
  return (
    <table className="files" data-testid="sweeps-table">
      <thead>
        <tr>
          <th>sweep</th>
          <th>project</th>
          <th>method</th>
          <th>metric</th>
          <th>state</th>
          <th className="num">trials</th>
          <th className="num">pruned</th>
          <th className="num">best</th>
          <th>created</th>
        </tr>
      </thead>
      <tbody>
        {sweeps.map((s) => (
          <tr key={s.name}>
            <td>
              <a href={href(`/sweeps/${encodeURIComponent(s.name)}`)}>{s.name}</a>
            </td>
            <td>{s.project}</td>
            <td>{s.method}</td>
            <td className="mono">
              {s.metric.name} ({s.metric.goal === 'minimize' ? 'min' : 'max'})
            </td>
            <td>{s.state}</td>
            <td className="num">
              {s.trials}
              {s.runCap === null ? '' : ` / ${s.runCap}`}
            </td>
            <td className="num">{s.pruned}</td>
            <td className="num">{s.best ? num(s.best.value) : '—'}</td>
            <td className="muted">{ago(s.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

const W = 640
const H = 220
const PAD = 40

function BestCurve({ trials, minimize }: { trials: Flat[]; minimize: boolean }) {
  const pts = bestSoFar(trials, minimize)
  if (pts.length === 0) return <div className="muted small">no complete trial yet</div>
  const maxN = Math.max(1, ...trials.map((t) => t.number))
  const vals = pts.flatMap((p) => [p.value, p.best])
  const axis = makeAxis('v', 'value', vals)
  const x = (n: number) => PAD + (n / maxN) * (W - 2 * PAD)
  const y = (v: number) => H - PAD + (PAD * 2 - H) * (axis.pos(v) ?? 0)
  return (
    <svg width={W} height={H} data-testid="best-curve" role="img" aria-label="best value so far over trials">
      <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#334155" />
      <line x1={PAD} y1={PAD} x2={PAD} y2={H - PAD} stroke="#334155" />
      {axis.ticks.map((t) => (
        <text key={t.at} x={PAD - 4} y={H - PAD + (PAD * 2 - H) * t.at} textAnchor="end" className="axis-tick">
          {t.label}
        </text>
      ))}
      <text x={W - PAD} y={H - PAD + 28} textAnchor="end" className="axis-tick">
        trial
      </text>
      {pts.map((p) => (
        <circle key={p.number} cx={x(p.number)} cy={y(p.value)} r={2.5} fill="#64748b">
          <title>
            trial {p.number}: {num(p.value)}
          </title>
        </circle>
      ))}
      <polyline points={pts.map((p) => `${x(p.number)},${y(p.best)}`).join(' ')} fill="none" stroke="#facc15" strokeWidth={2} />
    </svg>
  )
}

function Parallel({ trials, keys, metric, minimize }: { trials: Flat[]; keys: string[]; metric: string; minimize: boolean }) {
  const done = trials.filter((t) => t.value !== null && Number.isFinite(t.value))
  if (done.length === 0 || keys.length === 0) return <div className="muted small">no trial with a value yet</div>
  const axes = [
    ...keys.map((k) =>
      makeAxis(
        k,
        k,
        done.map((t) => t.flat[k]),
      ),
    ),
    makeAxis(
      '__metric',
      metric,
      done.map((t) => t.value),
    ),
  ]
  const gap = 130
  const width = Math.max(480, 60 + gap * (axes.length - 1) + 60)
  const xAt = (i: number) => 60 + i * gap
  const yAt = (p: number) => 28 + (1 - p) * (300 - 52)
  const m = axes.at(-1)!
  return (
    <div className="hscroll">
      <svg className="pcoords" data-testid="sweep-parallel" width={width} height={300} role="img" aria-label="parallel coordinates of the trials">
        {done.map((t) => {
          const pts = axes.map((a, i) => {
            const p = a.pos(a.key === '__metric' ? t.value : t.flat[a.key])
            return p === undefined ? '' : `${xAt(i)},${yAt(p)}`
          })
          const mp = m.pos(t.value) ?? 0
          return (
            <a key={t.number} href={href(`/exp/${encodeURIComponent(t.exp)}`)}>
              <polyline points={pts.filter(Boolean).join(' ')} fill="none" stroke={heat(minimize ? 1 - mp : mp)} strokeWidth={1.2} strokeOpacity={0.75}>
                <title>
                  trial {t.number}: {num(t.value)}
                </title>
              </polyline>
            </a>
          )
        })}
        {axes.map((a, i) => (
          <g key={a.key} transform={`translate(${xAt(i)},0)`}>
            <line y1={28} y2={276} stroke="#334155" />
            <text y={18} textAnchor="middle" className="axis-title">
              {a.label}
            </text>
            {a.ticks.map((tk) => (
              <text key={tk.at} x={4} y={yAt(tk.at)} className="axis-tick">
                {tk.label}
              </text>
            ))}
          </g>
        ))}
      </svg>
    </div>
  )
}

function SweepDetail({ name }: { name: string }) {
  // reloaded every 5 s: a running sweep converges while one watches
  const { data, error } = useFetch(() => sweepsApi.one(name), [name], 5000)
  if (error)
    return (
      <div className="page">
        <div className="error-text" data-testid="sweep-error">
          {error}
        </div>
        <a href={href('/sweeps')}>all sweeps</a>
      </div>
    )
  if (!data) return <div className="page muted">loading…</div>
  const { sweep, config } = data
  const trials: Flat[] = data.trials.map((t) => ({ ...t, flat: flatten(t.params) }))
  const keys = Object.keys(config.parameters).filter((k) => config.parameters[k]?.distribution !== 'constant')
  const minimize = config.metric.goal === 'minimize'
  const imp = importance(
    trials.map((t) => ({ ...t, params: t.flat as TrialInfo['params'] })),
    keys,
  )
  return (
    <div className="page">
      <div className="page-head">
        <h1 data-testid="sweep-title">{name}</h1>
        <span className="muted">
          {config.method} · {config.metric.goal} {config.metric.name} · {sweep.state} · {sweep.trials}
          {sweep.runCap === null ? '' : ` of ${sweep.runCap}`} trials: {sweep.complete} complete, {sweep.running} running, {sweep.pruned} pruned, {sweep.failed}{' '}
          failed
        </span>
        <a href={href('/sweeps')}>all sweeps</a>
      </div>
      <div className="card" data-testid="sweep-best">
        <div className="card-head">
          <h2>Best so far</h2>
          {sweep.best ? (
            <span>
              {num(sweep.best.value)} by <a href={href(`/exp/${encodeURIComponent(sweep.best.exp)}`)}>{sweep.best.exp}</a>
            </span>
          ) : null}
        </div>
        <BestCurve trials={trials} minimize={minimize} />
      </div>
      <div className="card">
        <div className="card-head">
          <h2>Parallel coordinates</h2>
        </div>
        <Parallel trials={trials} keys={keys} metric={config.metric.name} minimize={minimize} />
      </div>
      <div className="card" data-testid="sweep-importance">
        <div className="card-head">
          <h2>Parameter importance</h2>
          <span className="muted small">
            |Spearman rank correlation| with {config.metric.name} over complete trials (eta, the correlation ratio, for categorical params): monotone effects
            only, not fANOVA
          </span>
        </div>
        {imp.length === 0 ? (
          <div className="muted small">needs 3 complete trials</div>
        ) : (
          <table className="files">
            <tbody>
              {imp.map((p) => (
                <tr key={p.key}>
                  <td className="mono">{p.key}</td>
                  <td className="num">{p.score.toFixed(2)}</td>
                  <td style={{ width: 240 }}>
                    <div style={{ width: `${Math.round(p.score * 100)}%`, height: 8, background: '#60a5fa' }} />
                  </td>
                  <td className="muted small">{p.measure}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="card">
        <div className="card-head">
          <h2>Trials</h2>
        </div>
        <div className="hscroll">
          <table className="files" data-testid="trials-table">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>experiment</th>
                <th>status</th>
                <th className="num">{config.metric.name}</th>
                <th className="num">step</th>
                {keys.map((k) => (
                  <th key={k}>{k}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trials.map((t) => (
                <tr key={t.number}>
                  <td className="num">{t.number}</td>
                  <td>
                    <a href={href(`/exp/${encodeURIComponent(t.exp)}`)}>{t.exp}</a>
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td className="num">{num(t.value)}</td>
                  <td className="num">{t.step ?? ''}</td>
                  {keys.map((k) => (
                    <td key={k} className="mono">
                      {paramText(t.flat[k])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  )
}

/** The sweeps list, or one sweep. */
export function SweepPage({ name }: { name?: string }) {
  if (name) return <SweepDetail name={name} />
  return (
    <div className="page">
      <div className="page-head">
        <h1>Sweeps</h1>
      </div>
      <SweepList />
    </div>
  )
}
