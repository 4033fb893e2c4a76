// #/charts?exp=a&exp=b: the selected experiments' series, one chart per name.
import { ChartGrid } from '../components/chart-grid'
import { ExpChips } from '../components/exp-chips'
import { href, useRoute } from '../lib/route'
import { useSummaries } from '../lib/use-summaries'

/** The charts page. */
export function ChartsPage() {
  const { query } = useRoute()
  const names = query.getAll('exp')
  const { exps, errors, loading } = useSummaries(names)
  if (names.length === 0)
    return (
      <div className="page">
        <div className="empty">
          Select experiments in the <a href={href('/')}>table</a> to chart them.
        </div>
      </div>
    )
  return (
    <div className="page">
      <div className="page-head">
        <h1>Charts</h1>
        <ExpChips exps={exps} />
        {names.length >= 2 && (
          <a className="btn" href={href('/compare', { exp: names })}>
            Compare params
          </a>
        )}
      </div>
      {errors.map((e) => (
        <div key={e} className="error-text">
          {e}
        </div>
      ))}
      {loading && exps.length === 0 ? <div className="muted">loading…</div> : <ChartGrid exps={exps} />}
    </div>
  )
}
