// #/hparams?metric=valid/loss&agg=min&x=params.lr (&where=… or &exp=…):
// how the params of a sweep relate to a chosen series.
import { useMemo } from 'react'
import { ParallelCoords } from '../components/parallel-coords'
import { ScatterPlot } from '../components/scatter-plot'
import type { ExperimentSummary } from '../lib/api'
import { availableKeys } from '../lib/columns'
import { setQuery, useRoute } from '../lib/route'
import { type Axis, makeAxis, metricOf, varyingParams } from '../lib/scales'
import { useDirections } from '../lib/use-directions'
import { useExperiments } from '../lib/use-experiments'

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
  const shown = useMemo(() => {
    const withMetric = exps.filter((e) => metricOf(e, metric, agg) !== undefined)
    if (withMetric.length <= MAX_LINES) return withMetric
    const sign = lower ? 1 : -1
    return withMetric.sort((a, b) => sign * ((metricOf(a, metric, agg) as number) - (metricOf(b, metric, agg) as number))).slice(0, MAX_LINES)
  }, [exps, metric, agg, lower])
  // axes for the params that vary among the experiments drawn
  const params = useMemo(() => varyingParams(shown).slice(0, MAX_AXES), [shown])
  const xKey = query.get('x') ?? params[0] ?? ''
  const metricLabel = `${agg} ${metric}`
  const axes = useMemo(() => {
    const a = params.map((k) =>
      makeAxis(
        k,
        k,
        shown.map((e) => e.params[k]),
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
  }, [params, shown, metric, agg, metricLabel])
  const xAxis = axes.find((a) => a.key === xKey)
  const yAxis = axes.at(-1) as Axis

  return (
    <div className="page">
      <div className="page-head">
        <h1>Hyperparameters</h1>
        <span className="muted">
          {loading ? 'loading…' : `${shown.length.toLocaleString()} experiments with ${metric || 'a series'}${where ? ` matching ${where}` : ''}`}
          {shown.length === MAX_LINES ? ` (the best ${MAX_LINES})` : ''}
        </span>
      </div>
      {error && <div className="error-text">{error.message}</div>}
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
          <div className="card hscroll">
            <h2>Parallel coordinates</h2>
            <ParallelCoords exps={shown} axes={axes} value={value} lower={lower} />
            <div className="muted small">
              bright lines: the best {metricLabel} ({lower ? 'lowest' : 'highest'}); click a line to open its experiment
            </div>
          </div>
          {xAxis && (
            <div className="card">
              <h2>
                {xKey} against {metricLabel}
              </h2>
              <ScatterPlot exps={shown} x={xAxis} y={yAxis} value={value} />
            </div>
          )}
        </>
      )}
    </div>
  )
}
