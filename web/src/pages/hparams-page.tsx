// #/hparams?metric=valid/loss&agg=min&x=params.lr (&where=… or &exp=…):
// how the params of a sweep relate to a chosen series.
import { useMemo } from 'react'
import { FilterBox } from '../components/filter-box'
import { ParallelCoords } from '../components/parallel-coords'
import { ScatterPlot } from '../components/scatter-plot'
import type { ExperimentSummary } from '../lib/api'
import { availableKeys } from '../lib/columns'
import { paramImportance } from '../lib/importance'
import { setQuery, useRoute } from '../lib/route'
import { type Axis, makeAxis, metricOf, varyingParams } from '../lib/scales'
import { useDirections } from '../lib/use-directions'
import { useExperiments } from '../lib/use-experiments'
import { useWidth } from '../lib/use-width'

const MAX_AXES = 10
// SVG stays responsive up to a few thousand lines; beyond that show the best ones.
const MAX_LINES = 3000

/** The hyperparameter page. */
export function HparamsPage() {
  const { query } = useRoute()
  const where = query.get('where') ?? ''
  const project = query.get('project') ?? ''
  const onlyKey = query.getAll('exp').join('\n')
  const { experiments, loading, error } = useExperiments(where, project)
  const exps = useMemo(() => {
    if (!onlyKey) return experiments
    const only = new Set(onlyKey.split('\n'))
    return experiments.filter((e) => only.has(e.name))
  }, [experiments, onlyKey])
  const keys = useMemo(() => availableKeys(exps), [exps])
  const metric = query.get('metric') ?? keys.series.find((k) => k.endsWith('loss') && k.startsWith('valid')) ?? keys.series[0] ?? ''
  const agg = (['last', 'min', 'max'].includes(query.get('agg') ?? '') ? query.get('agg') : 'last') as 'last' | 'min' | 'max'
  // the same rule as the CLI and compare page (the server answers); loss-like until it has
  const lower = useDirections([metric])[metric] !== 'max'

  const value = (e: ExperimentSummary, a: Axis): unknown => (a.key === '@metric' ? metricOf(e, metric, agg) : e.params[a.key])
  const withMetricCount = useMemo(() => exps.filter((e) => metricOf(e, metric, agg) !== undefined).length, [exps, metric, agg])
  // log or linear per axis, when the user switched it: &scale=lr:lin&scale=hidden:log
  const scaleKey = query.getAll('scale').join(',')
  const scales = useMemo(
    () => new Map(scaleKey ? scaleKey.split(',').map((s) => [s.slice(0, s.lastIndexOf(':')), s.slice(s.lastIndexOf(':') + 1)] as const) : []),
    [scaleKey],
  )
  const [pcRef, pcWidth] = useWidth<HTMLDivElement>(900)
  const [scRef, scWidth] = useWidth<HTMLDivElement>(900)
  const shown = useMemo(() => {
    const withMetric = exps.filter((e) => metricOf(e, metric, agg) !== undefined)
    if (withMetric.length <= MAX_LINES) return withMetric
    const sign = lower ? 1 : -1
    return withMetric.sort((a, b) => sign * ((metricOf(a, metric, agg) as number) - (metricOf(b, metric, agg) as number))).slice(0, MAX_LINES)
  }, [exps, metric, agg, lower])
  // axes for the params that vary among the experiments drawn
  const params = useMemo(() => varyingParams(shown).slice(0, MAX_AXES), [shown])
  const metricLabel = `${agg} ${metric}`
  const axes = useMemo(() => {
    const a = params.map((k) =>
      makeAxis(
        k,
        k,
        shown.map((e) => e.params[k]),
        scales.get(k) as 'log' | 'lin' | undefined,
      ),
    )
    a.push(
      makeAxis(
        '@metric',
        metricLabel,
        shown.map((e) => metricOf(e, metric, agg)),
      ),
    )
    return a
  }, [params, shown, metric, agg, metricLabel, scales])
  // over every run with the metric, not only the best drawn: the best share their lr
  const importance = useMemo(() => paramImportance(exps, params, (e) => metricOf(e, metric, agg)), [exps, params, metric, agg])
  const toggleLog = (a: Axis) => {
    const next = new Map(scales)
    next.set(a.key, a.log ? 'lin' : 'log')
    setQuery({ scale: [...next].map(([k, v]) => `${k}:${v}`) })
  }
  // Not while the listing loads: the live poller may have put in only the runs changed in the
  // last seconds (6,778 of 10,000 in one CI run), and "best 3,000 of 6,778" would be wrong.
  const capped = !loading && withMetricCount > shown.length
  // the scatter shows the param the metric follows most, until one is picked
  const xKey = query.get('x') ?? importance[0]?.key ?? params[0] ?? ''
  const xAxis = axes.find((a) => a.key === xKey)
  const yAxis = axes.at(-1) as Axis

  return (
    <div className="page">
      <div className="page-head">
        <h1>Hyperparameters</h1>
        <span className="muted">
          {loading ? 'loading…' : `${shown.length.toLocaleString()} experiments with ${metric || 'a series'}${where ? ` matching ${where}` : ''}`}
        </span>
      </div>
      <FilterBox value={where} error={error?.message} onApply={(w) => setQuery({ where: w || undefined })} />
      {capped && (
        <div className="notice" data-testid="hp-cap" role="status">
          Showing the best {MAX_LINES.toLocaleString()} of {withMetricCount.toLocaleString()} experiments by {metricLabel} ({lower ? 'lowest' : 'highest'}{' '}
          first): the plot stays responsive up to that many lines. Narrow them with the filter above, e.g. <code>params.lr &lt; 0.01</code> or{' '}
          <code>status = 'COMPLETE'</code>.
        </div>
      )}
      <div className="toolbar">
        <label className="control">
          series
          <select className="input select" data-testid="hp-metric" value={metric} onChange={(e) => setQuery({ metric: e.target.value })}>
            {keys.series.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="control">
          value
          <select className="input select" data-testid="hp-agg" value={agg} onChange={(e) => setQuery({ agg: e.target.value })}>
            <option value="last">last</option>
            <option value="min">min</option>
            <option value="max">max</option>
          </select>
        </label>
        <label className="control">
          scatter x
          <select className="input select" data-testid="hp-x" value={xKey} onChange={(e) => setQuery({ x: e.target.value })}>
            {params.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      {params.length === 0 ? (
        <div className="empty">No param varies across these experiments.</div>
      ) : (
        <>
          <div className="hp-top">
            <div className="card" ref={pcRef}>
              <h2>Parallel coordinates</h2>
              <ParallelCoords exps={shown} axes={axes} value={value} lower={lower} width={pcWidth - 24} onToggleLog={toggleLog} />
              <div className="muted small">
                bright lines: the best {metricLabel} ({lower ? 'lowest' : 'highest'}); click a line to open its experiment, an axis title to switch log/linear
              </div>
            </div>
            <div className="card hp-importance" data-testid="importance">
              <h2>Importance</h2>
              <div className="muted small">how each param goes with {metricLabel}: |rank correlation| for numbers, η for categories</div>
              <table className="kv">
                <tbody>
                  {importance.map((im) => (
                    <tr key={im.key} data-testid="importance-row" data-key={im.key}>
                      <td className="key" title={im.key}>
                        {im.key}
                      </td>
                      <td className="imp-bar">
                        <i style={{ width: `${Math.round(im.strength * 100)}%` }} />
                      </td>
                      <td className="mono small" title={im.kind === 'rank' ? 'Spearman ρ' : 'correlation ratio η'}>
                        {im.kind === 'rank' && im.strength >= 0.005 ? `${im.sign < 0 ? '−' : '+'}${im.strength.toFixed(2)}` : im.strength.toFixed(2)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {xAxis && (
            <div className="card" ref={scRef}>
              <h2>
                {xKey} against {metricLabel}
              </h2>
              <ScatterPlot exps={shown} x={xAxis} y={yAxis} value={value} width={scWidth - 24} />
            </div>
          )}
        </>
      )}
    </div>
  )
}
