// #/compare?exp=a&exp=b: params side by side (rows that differ highlighted),
// the latest and best value of every series (best is its min or max, as the
// series is optimised), and the series overlaid.
import { ChartGrid } from '../components/chart-grid'
import { ExpChips } from '../components/exp-chips'
import { ImageCompare } from '../components/image-compare'
import { StatusBadge } from '../components/status-badge'
import type { ExperimentSummary } from '../lib/api'
import { runColor } from '../lib/colors'
import { duration, num, paramText } from '../lib/format'
import { href, setQuery, useRoute } from '../lib/route'
import { useDirections } from '../lib/use-directions'
import { useSummaries } from '../lib/use-summaries'

function keysOf(exps: readonly ExperimentSummary[], pick: (e: ExperimentSummary) => object): string[] {
  return [...new Set(exps.flatMap((e) => Object.keys(pick(e))))].sort()
}

/** The compare page. */
export function ComparePage() {
  const { query } = useRoute()
  const names = query.getAll('exp')
  const { exps, errors } = useSummaries(names)
  const onlyDiff = query.get('diff') === '1'
  const directions = useDirections(keysOf(exps, (e) => e.series))
  if (names.length < 2)
    return (
      <div className="page">
        <div className="empty">
          Select two or more experiments in the <a href={href('/')}>table</a> to compare them.
        </div>
      </div>
    )
  const paramKeys = keysOf(exps, (e) => e.params)
  const seriesKeys = keysOf(exps, (e) => e.series)
  const rows = paramKeys.map((k) => {
    const texts = exps.map((e) => paramText(e.params[k]))
    return { k, texts, differs: new Set(texts).size > 1 }
  })
  const shown = onlyDiff ? rows.filter((r) => r.differs) : rows
  return (
    <div className="page">
      <div className="page-head">
        <h1>Compare</h1>
        <ExpChips exps={exps} />
      </div>
      {errors.map((e) => (
        <div key={e} className="error-text">
          {e}
        </div>
      ))}
      <div className="card">
        <div className="card-head">
          <h2>Params</h2>
          <label className="control small">
            <input type="checkbox" checked={onlyDiff} onChange={(e) => setQuery({ diff: e.target.checked ? '1' : undefined })} data-testid="only-diff" /> only
            rows that differ
          </label>
        </div>
        <div className="hscroll">
          <table className="kv compare" data-testid="compare-table">
            <thead>
              <tr>
                <th />
                {exps.map((e, i) => (
                  <th key={e.name}>
                    <i className="swatch" style={{ background: runColor(i) }} />
                    {e.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="key">status</td>
                {exps.map((e) => (
                  <td key={e.name}>
                    <StatusBadge status={e.status} />
                  </td>
                ))}
              </tr>
              <tr>
                <td className="key">duration</td>
                {exps.map((e) => (
                  <td key={e.name}>{duration(e.durationMs)}</td>
                ))}
              </tr>
              {shown.map((r) => (
                <tr key={r.k} className={r.differs ? 'differs' : ''} data-testid="param-row" data-differs={r.differs ? '1' : '0'}>
                  <td className="key">params.{r.k}</td>
                  {r.texts.map((t, i) => (
                    <td key={exps[i]?.name} className="mono">
                      {t}
                    </td>
                  ))}
                </tr>
              ))}
              {seriesKeys.map((k) => {
                const dir = directions[k]
                return (
                  <tr key={k} data-testid="series-row" data-series={k} data-direction={dir ?? ''}>
                    <td className="key">
                      {k} <span className="muted">{dir ? `last (${dir})` : 'last'}</span>
                    </td>
                    {exps.map((e) => {
                      const s = e.series[k]
                      return (
                        <td key={e.name} className="mono">
                          {!s ? '—' : dir ? `${num(s.last)} (${num(dir === 'min' ? s.min : s.max)})` : num(s.last)}
                        </td>
                      )
                    })}
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </div>
      <ChartGrid exps={exps} />
      <ImageCompare exps={exps} />
    </div>
  )
}
