// #/models: every registered model; #/models/<name>: its versions (aliases, the
// metric each was chosen on, a link to its experiment, missing/changed marks)
// and the history of its aliases.
import { ModelStateMark } from '../components/model-state'
import { ago, bytes, dateTime, num } from '../lib/format'
import { type AliasChange, mainMetric, modelsApi } from '../lib/models-api'
import { href, setQuery, useRoute } from '../lib/route'
import { useFetch } from '../lib/use-fetch'

function ModelList() {
  const { data, error } = useFetch(() => modelsApi.models(), [])
  const models = data?.models
  if (error) return <div className="error-text">{error}</div>
  if (!models) return <div className="muted">loading…</div>
  if (models.length === 0)
    return (
      <div className="muted" data-testid="no-models">
        no registered models yet — <span className="mono">mldb model register NAME EXP FILE</span>
      </div>
    )
  return (
    <table className="files" data-testid="models-table">
      <thead>
        <tr>
          <th>model</th>
          <th className="num">latest</th>
          <th className="num">versions</th>
          <th>aliases</th>
          <th>updated</th>
          <th>description</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.name} data-testid="model-row">
            <td>
              <a href={href(`/models/${encodeURIComponent(m.name)}`)} data-testid="model-link">
                {m.name}
              </a>
            </td>
            <td className="num">{m.latestVersion ?? '—'}</td>
            <td className="num">{m.versionCount}</td>
            <td>
              {Object.entries(m.aliases).map(([a, v]) => (
                <span key={a} className="kind">
                  @{a} → {v}
                </span>
              ))}
            </td>
            <td className="muted">{ago(m.updatedAt)}</td>
            <td>{m.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function History({ history }: { history: AliasChange[] }) {
  if (history.length === 0) return <div className="muted small">no alias was ever set</div>
  return (
    <table className="files" data-testid="alias-history">
      <thead>
        <tr>
          <th>when</th>
          <th>alias</th>
          <th className="num">from</th>
          <th className="num">to</th>
          <th>who</th>
        </tr>
      </thead>
      <tbody>
        {[...history].reverse().map((h) => (
          <tr key={`${h.time}-${h.alias}-${h.from}-${h.to}`}>
            <td className="mono small">{dateTime(h.time)}</td>
            <td>@{h.alias}</td>
            <td className="num">{h.from ?? '—'}</td>
            <td className="num">{h.to ?? 'deleted'}</td>
            <td className="muted">{h.who}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function ModelDetail({ name }: { name: string }) {
  const { query } = useRoute()
  const verify = query.get('verify') === 'true'
  const { data, error } = useFetch(() => modelsApi.model(name, verify), [name, verify])
  if (error)
    return (
      <div className="page">
        <div className="error-text" data-testid="model-error">
          {error}
        </div>
        <a href={href('/models')}>all models</a>
      </div>
    )
  if (!data) return <div className="page muted">loading…</div>
  const keys = [...new Set(data.versions.flatMap((v) => Object.keys(v.metrics)))].sort()
  const metric = query.get('metric') ?? mainMetric(keys)
  return (
    <div className="page">
      <div className="page-head">
        <h1 data-testid="model-title">{name}</h1>
        <span className="muted">{data.model.description}</span>
        <a href={href('/models')}>all models</a>
      </div>
      <div className="card">
        <div className="card-head">
          <h2>Versions</h2>
          <label className="small">
            chosen on{' '}
            <select value={metric ?? ''} onChange={(e) => setQuery({ metric: e.target.value })} data-testid="metric-select">
              {keys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" onClick={() => setQuery({ verify: 'true' })} disabled={verify} data-testid="verify-button">
            {verify ? 'hashes checked' : 'check hashes'}
          </button>
        </div>
        <div className="hscroll">
          <table className="files" data-testid="versions-table">
            <thead>
              <tr>
                <th className="num">version</th>
                <th>aliases</th>
                <th>experiment</th>
                <th className="num">{metric ? `${metric} min` : 'metric'}</th>
                <th className="num">last</th>
                <th>registered</th>
                <th>path</th>
                <th className="num">size</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {[...data.versions].reverse().map((v) => {
                const m = metric ? v.metrics[metric] : undefined
                return (
                  <tr key={v.version} data-testid="version-row" data-version={v.version} className={v.state === 'ok' ? '' : 'problem'}>
                    <td className="num">{v.version}</td>
                    <td>
                      {v.aliases.map((a) => (
                        <span key={a} className="kind" data-testid="version-alias">
                          @{a}
                        </span>
                      ))}
                    </td>
                    <td>
                      {v.expExists ? (
                        <a href={href(`/exp/${encodeURIComponent(v.exp)}`)} data-testid="version-exp">
                          {v.exp}
                        </a>
                      ) : (
                        <span className="muted" title="the experiment was purged; its evidence was kept" data-testid="version-exp">
                          {v.exp} (purged)
                        </span>
                      )}
                    </td>
                    <td className="num" data-testid="version-metric">
                      {m ? num(m.min) : '—'}
                    </td>
                    <td className="num">{m ? num(m.last) : '—'}</td>
                    <td className="muted" title={`${dateTime(v.registeredAt)} by ${v.registeredBy}`}>
                      {ago(v.registeredAt)}
                    </td>
                    <td className="mono path" title={`${v.path}\nsha256 ${v.sha256}`}>
                      {v.path}
                    </td>
                    <td className="num">{bytes(v.size)}</td>
                    <td>
                      <ModelStateMark state={v.state} />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </div>
      <div className="card">
        <h2>Alias history</h2>
        <History history={data.history} />
      </div>
    </div>
  )
}

/** The Models page: the list, or one model when the path names it. */
export function ModelsPage({ name }: { name?: string }) {
  if (name) return <ModelDetail name={name} />
  return (
    <div className="page">
      <div className="page-head">
        <h1>Models</h1>
      </div>
      <div className="card">
        <ModelList />
      </div>
    </div>
  )
}
