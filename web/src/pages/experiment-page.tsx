// #/exp/<name>: everything about one experiment — its charts first, then images
// with a step slider, logged tables and histograms, params, status timeline, tags,
// notes (editable), and one list of files grouped by kind with download links.
import { useCallback, useEffect, useState } from 'react'
import { ChartGrid } from '../components/chart-grid'
import { ExperimentModels } from '../components/experiment-models'
import { HistogramsCard, TablesCard } from '../components/media-data-cards'
import { StatusBadge } from '../components/status-badge'
import { StepSlider } from '../components/step-slider'
import { api, type ExperimentDetail, type FileEntry } from '../lib/api'
import { fileHref, unservedReason } from '../lib/file-links'
import { ago, bytes, dateTime, duration, paramText } from '../lib/format'
import { IMAGE, imageSeries } from '../lib/images'
import { useChanges } from '../lib/live'
import { href } from '../lib/route'

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

// The order kinds are listed in: what people download first.
const KIND_ORDER = ['model', 'checkpoint', 'image', 'plot', 'data', 'other']
// Rows of a kind shown before "show all".
const FEW = 3

/** The hash state of a file, short; the full hash in the title. */
function HashCell({ f }: { f: FileEntry }) {
  return (
    <td
      className="mono small hash"
      data-testid={f.kind === 'model' || f.kind === 'checkpoint' ? 'weight-hash' : 'file-hash'}
      data-sha={f.sha256 ?? ''}
      title={f.sha256 ?? 'no sha256 recorded (add hash: true when recording, or run mldb doctor)'}
    >
      {f.sha256 ? `${f.sha256.slice(0, 12)}…` : <span className="muted">not hashed</span>}
    </td>
  )
}

/** The directory every file is under (ending in '/'), so rows can show the part that differs. */
function commonDir(files: FileEntry[]): string {
  const first = files[0]?.path ?? ''
  let dir = first.slice(0, first.lastIndexOf('/') + 1)
  for (const f of files) while (dir && !f.path.startsWith(dir)) dir = dir.slice(0, dir.slice(0, -1).lastIndexOf('/') + 1)
  return dir
}

function FileRow({ f, dir }: { f: FileEntry; dir: string }) {
  const viewable = f.kind === 'image' || f.kind === 'plot' || IMAGE.test(f.path)
  const link = fileHref(f)
  const name = f.path.split(/[/\\]/).at(-1) ?? ''
  return (
    <tr data-testid="file-row" data-kind={f.kind} className={f.problem ? 'problem' : ''}>
      <td className="mono path" title={f.path}>
        {f.path.slice(dir.length)}
      </td>
      <td className="num">{f.step ?? '—'}</td>
      <td className="num">{bytes(f.size)}</td>
      <td className="num">{ago(f.mtime)}</td>
      <HashCell f={f} />
      <td className="file-actions">
        {(f.problem === 'changed' || !link) && (
          <span
            className={`file-problem ${f.problem ?? 'missing'}`}
            data-testid="file-problem"
            title={f.stored === false ? 'the server holds no copy of its bytes' : undefined}
          >
            {link ? f.problem : unservedReason(f)}
          </span>
        )}
        {link && (
          <a
            className="btn small"
            data-testid="file-link"
            href={link}
            {...(viewable ? { target: '_blank', rel: 'noreferrer' } : { download: name })}
            aria-label={`${viewable ? 'open' : 'download'} ${name}`}
          >
            {viewable ? 'open' : 'download'}
          </a>
        )}
      </td>
    </tr>
  )
}

/** Every file the run recorded, one group per kind, each collapsed past a few rows. */
function FilesCard({ files }: { files: FileEntry[] }) {
  const [open, setOpen] = useState<Set<string>>(new Set())
  const dir = commonDir(files)
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length)
  const kinds = [...new Set(files.map((f) => f.kind))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return (
    <div className="card" data-testid="files">
      <h2>Files</h2>
      {files.length === 0 ? (
        <div className="muted small">no files recorded</div>
      ) : (
        <div className="hscroll">
          <table className="files" data-testid="files-table">
            <thead>
              <tr>
                <th title={dir}>path{dir ? <span className="muted small mono"> in {dir}</span> : null}</th>
                <th className="num">step</th>
                <th className="num">size</th>
                <th className="num">modified</th>
                <th>sha256</th>
                <th />
              </tr>
            </thead>
            {kinds.map((kind) => {
              // newest step first: the last checkpoint is the one people want
              const list = files
                .filter((f) => f.kind === kind)
                .sort((a, b) => (b.step ?? Number.NEGATIVE_INFINITY) - (a.step ?? Number.NEGATIVE_INFINITY) || a.path.localeCompare(b.path))
              const all = open.has(kind) || list.length <= FEW + 1
              return (
                <tbody key={kind} data-testid="file-group" data-kind={kind}>
                  <tr className="file-group-head">
                    <th colSpan={6}>
                      <span className="kind">{kind}</span> <span className="muted small">{list.length}</span>
                    </th>
                  </tr>
                  {(all ? list : list.slice(0, FEW)).map((f) => (
                    <FileRow key={f.id} f={f} dir={dir} />
                  ))}
                  {list.length > FEW + 1 && (
                    <tr>
                      <td colSpan={6}>
                        <button
                          type="button"
                          className="btn ghost small"
                          data-testid="file-group-toggle"
                          onClick={() => setOpen((o) => new Set(o.has(kind) ? [...o].filter((k) => k !== kind) : [...o, kind]))}
                        >
                          {all ? 'show fewer' : `show all ${list.length}`}
                        </button>
                      </td>
                    </tr>
                  )}
                </tbody>
              )
            })}
          </table>
        </div>
      )}
    </div>
  )
}

/** Images grouped by name, each with a step slider. */
function ImagesCard({ images }: { images: FileEntry[] }) {
  const groups = new Map<string, FileEntry[]>()
  for (const f of images) {
    const k = imageSeries(f.path)
    let g = groups.get(k)
    if (!g) {
      g = []
      groups.set(k, g)
    }
    g.push(f)
  }
  return (
    <div className="card">
      <h2>Images</h2>
      <div className="previews">
        {[...groups].map(([k, list]) => (
          <ImageSlider key={k} files={list.sort((a, b) => (a.step ?? 0) - (b.step ?? 0))} />
        ))}
      </div>
    </div>
  )
}

function ImageSlider({ files }: { files: FileEntry[] }) {
  const [i, setI] = useState(files.length - 1)
  const f = files[Math.min(i, files.length - 1)] as FileEntry
  const href = fileHref(f)
  return (
    <figure className="preview" data-testid="image-group">
      {href === undefined ? (
        <div className="preview-missing">{unservedReason(f)}</div>
      ) : (
        <a href={href} target="_blank" rel="noreferrer">
          <img src={href} alt={f.path} loading="lazy" data-testid="image-preview" />
        </a>
      )}
      <figcaption className="small mono" title={f.path}>
        {f.path.split('/').at(-1)}
        {f.step !== null ? ` · step ${f.step}` : ''}
      </figcaption>
      {files.length > 1 && (
        <StepSlider
          count={files.length}
          at={Math.min(i, files.length - 1)}
          step={f.step}
          label={`step of ${f.path.split('/').at(-1)}`}
          testId="image-step"
          onChange={setI}
        />
      )}
    </figure>
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
      {/* charts first: they are what a run is opened for */}
      <ChartGrid exps={[exp]} />
      {images.length > 0 && <ImagesCard images={images} />}
      <TablesCard files={exp.files} />
      <HistogramsCard files={exp.files} />
      <div className="exp-grid">
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
          <h2>Status</h2>
          <Timeline exp={exp} />
        </div>
        <div className="card">
          <h2>Tags</h2>
          <Tags exp={exp} onSaved={setExp} />
          <h2>Notes</h2>
          <Notes exp={exp} onSaved={setExp} />
        </div>
      </div>
      <FilesCard files={exp.files} />
      <ExperimentModels exp={exp.name} />
    </div>
  )
}
