// #/exp/<name>: everything about one experiment — status timeline, params,
// tags, notes (editable), files with previews, and its charts.
import { useCallback, useEffect, useState } from 'react'
import { ChartGrid } from '../components/chart-grid'
import { ExperimentModels } from '../components/experiment-models'
import { StatusBadge } from '../components/status-badge'
import { api, type ExperimentDetail, type FileEntry } from '../lib/api'
import { ago, bytes, dateTime, duration, paramText } from '../lib/format'
import { useChanges } from '../lib/live'
import { href } from '../lib/route'

const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i

function Notes({ exp, onSaved }: { exp: ExperimentDetail; onSaved: (d: ExperimentDetail) => void }) {
  const [text, setText] = useState(exp.notes)
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | string>('idle')
  useEffect(() => setText(exp.notes), [exp.notes])
  const save = async () => {
    setState('saving')
    try {
      onSaved(await api.patchExperiment(exp.name, { notes: text }))
      setState('saved')
    } catch (e) {
      setState((e as Error).message)
    }
  }
  return (
    <div className="notes">
      <textarea
        className="input"
        data-testid="notes-input"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Notes about this run…"
      />
      <div className="row">
        <button type="button" className="btn primary" data-testid="notes-save" disabled={text === exp.notes || state === 'saving'} onClick={save}>
          Save notes
        </button>
        {state === 'saved' && (
          <span className="muted small" data-testid="notes-saved">
            saved
          </span>
        )}
        {state !== 'idle' && state !== 'saved' && state !== 'saving' && <span className="error-text small">{state}</span>}
      </div>
    </div>
  )
}

function Tags({ exp, onSaved }: { exp: ExperimentDetail; onSaved: (d: ExperimentDetail) => void }) {
  const [k, setK] = useState('')
  const [v, setV] = useState('')
  const [err, setErr] = useState('')
  const add = async () => {
    try {
      onSaved(await api.patchExperiment(exp.name, { tags: { [k.trim()]: v } }))
      setK('')
      setV('')
      setErr('')
    } catch (e) {
      setErr((e as Error).message)
    }
  }
  const entries = Object.entries(exp.tags)
  return (
    <div>
      <div className="chips">
        {entries.length === 0 && <span className="muted small">no tags</span>}
        {entries.map(([key, value]) => (
          <span key={key} className="tag" data-testid="tag">
            {key}
            {value ? `: ${value}` : ''}
          </span>
        ))}
      </div>
      <div className="row tag-form">
        <input className="input small-input" placeholder="tag" value={k} onChange={(e) => setK(e.target.value)} />
        <input className="input small-input" placeholder="value" value={v} onChange={(e) => setV(e.target.value)} />
        <button type="button" className="btn" disabled={!k.trim()} onClick={add}>
          Add tag
        </button>
        {err && <span className="error-text small">{err}</span>}
      </div>
    </div>
  )
}

function Timeline({ exp }: { exp: ExperimentDetail }) {
  const h = exp.statusHistory
  return (
    <ol className="timeline" data-testid="status-timeline">
      {h.map((s, i) => {
        const next = h[i + 1]
        return (
          // a status history only grows at the end, so the index is a stable key
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={i}>
            <StatusBadge status={s.status} />
            <span className="mono small">{dateTime(s.time)}</span>
            {next && <span className="muted small">for {duration(next.time - s.time)}</span>}
          </li>
        )
      })}
      {exp.status === 'LOST' && (
        <li>
          <StatusBadge status="LOST" />
          <span className="muted small">no heartbeat since {ago(exp.heartbeatAt)}</span>
        </li>
      )}
    </ol>
  )
}

function FileRow({ f }: { f: FileEntry }) {
  return (
    <tr data-testid="file-row" data-kind={f.kind} className={f.problem ? 'problem' : ''}>
      <td>
        <span className="kind">{f.kind}</span>
      </td>
      <td className="mono path" title={f.path}>
        {f.path}
      </td>
      <td className="num">{f.step ?? '—'}</td>
      <td className="num">{bytes(f.size)}</td>
      <td className="num">{ago(f.mtime)}</td>
      <td className="mono small" title={f.sha256 ?? ''}>
        {f.sha256 ? `${f.sha256.slice(0, 16)}…` : '—'}
      </td>
      <td>
        {f.problem && (
          <span className={`file-problem ${f.problem}`} data-testid="file-problem">
            {f.problem}
          </span>
        )}
      </td>
    </tr>
  )
}

/** The experiment page. */
export function ExperimentPage({ name }: { name: string }) {
  const [exp, setExp] = useState<ExperimentDetail | undefined>()
  const [error, setError] = useState('')
  const load = useCallback(async () => {
    try {
      setExp(await api.experiment(name))
      setError('')
    } catch (e) {
      setError((e as Error).message)
    }
  }, [name])
  useEffect(() => {
    setExp(undefined)
    void load()
  }, [load])
  // A change to this experiment (status, files, notes from elsewhere) reloads the header; charts append on their own.
  useChanges((changed) => {
    const c = changed.find((e) => e.name === name)
    if (c) setExp((d) => (d ? { ...d, ...c } : d))
    if (c && exp && (c.status !== exp.status || c.updatedAt !== exp.updatedAt)) void load()
  })
  if (error)
    return (
      <div className="page">
        <div className="error-text" data-testid="exp-error">
          {error}
        </div>
        <a href={href('/')}>back to the table</a>
      </div>
    )
  if (!exp) return <div className="page muted">loading…</div>
  const images = exp.files.filter((f) => f.kind === 'image' || f.kind === 'plot' || IMAGE.test(f.path)).filter((f) => IMAGE.test(f.path))
  const weights = exp.files.filter((f) => f.kind === 'model' || f.kind === 'checkpoint')
  const params = Object.entries(exp.params)
  return (
    <div className="page exp-page">
      <div className="page-head">
        <h1 data-testid="exp-title">{exp.name}</h1>
        <StatusBadge status={exp.status} />
        <span className="muted">
          {exp.project} · started {ago(exp.startedAt)} · {duration(exp.durationMs)}
          {exp.host ? ` · ${exp.host}` : ''}
          {exp.pid ? ` (pid ${exp.pid})` : ''}
        </span>
      </div>
      <div className="exp-grid">
        <div className="card">
          <h2>Status</h2>
          <Timeline exp={exp} />
        </div>
        <div className="card">
          <h2>Params</h2>
          {params.length === 0 ? (
            <div className="muted small">no params</div>
          ) : (
            <table className="kv" data-testid="params-table">
              <tbody>
                {params.map(([k, v]) => (
                  <tr key={k}>
                    <td className="key">{k}</td>
                    <td className="mono">{paramText(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div className="card">
          <h2>Tags</h2>
          <Tags exp={exp} onSaved={setExp} />
          <h2>Notes</h2>
          <Notes exp={exp} onSaved={setExp} />
        </div>
      </div>
      {images.length > 0 && (
        <div className="card">
          <h2>Images</h2>
          <div className="previews">
            {images.map((f) => (
              <figure key={f.id} className="preview">
                {f.problem === 'missing' ? (
                  <div className="preview-missing">missing</div>
                ) : (
                  <a href={f.url} target="_blank" rel="noreferrer">
                    <img src={f.url} alt={f.path} loading="lazy" data-testid="image-preview" />
                  </a>
                )}
                <figcaption className="small mono" title={f.path}>
                  {f.path.split('/').at(-1)}
                  {f.step !== null ? ` · step ${f.step}` : ''}
                </figcaption>
              </figure>
            ))}
          </div>
        </div>
      )}
      {weights.length > 0 && (
        <div className="card" data-testid="weights">
          <h2>Model weights</h2>
          <table className="kv files">
            <tbody>
              {weights.map((f) => (
                <tr key={f.id}>
                  <td className="mono path" title={f.path}>
                    {f.path}
                  </td>
                  <td className="mono small" data-testid="weight-hash">
                    {f.sha256 ?? 'no hash recorded'}
                  </td>
                  <td>{f.problem && <span className={`file-problem ${f.problem}`}>{f.problem}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="card">
        <h2>Files</h2>
        {exp.files.length === 0 ? (
          <div className="muted small">no files recorded</div>
        ) : (
          <div className="hscroll">
            <table className="files" data-testid="files-table">
              <thead>
                <tr>
                  <th>kind</th>
                  <th>path</th>
                  <th className="num">step</th>
                  <th className="num">size</th>
                  <th className="num">modified</th>
                  <th>sha256</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {exp.files.map((f) => (
                  <FileRow key={f.id} f={f} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <ExperimentModels exp={exp.name} />
      <ChartGrid exps={[exp]} />
    </div>
  )
}
