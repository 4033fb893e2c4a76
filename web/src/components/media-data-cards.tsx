// The experiment page's cards for logTable and logHistogram files: each table name
// shown as a table with a step slider, each histogram name as a heat map over
// steps (x: step, y: value, shade: share of that step's largest bucket).
import { useEffect, useState } from 'react'
import type { FileEntry } from '../lib/api'
import { fileHref, unservedReason } from '../lib/file-links'
import { type HeatGrid, heatGrid, mediaGroups, parseHistogram, parseTable, spread, type TableData } from '../lib/media-data'
import { StepSlider } from './step-slider'

// Rows of a table drawn before "first N of M".
const TABLE_ROWS = 200
// Files a heat map reads: more steps than this are sampled evenly.
const HEAT_STEPS = 120
// Value cells of a heat map column.
const HEAT_ROWS = 40

/** The text of a recorded file, or an Error saying why not. */
async function fileText(f: FileEntry): Promise<string> {
  const href = fileHref(f)
  if (!href) throw new Error(unservedReason(f))
  const res = await fetch(href)
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`)
  return res.text()
}

const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))

/** Tables grouped by name; nothing when the run logged none. */
export function TablesCard({ files }: { files: FileEntry[] }) {
  const groups = mediaGroups(files, 'table')
  if (groups.length === 0) return null
  return (
    <div className="card" data-testid="tables">
      <h2>Tables</h2>
      {groups.map(([name, list]) => (
        <MediaTable key={name} name={name} files={list} />
      ))}
    </div>
  )
}

function MediaTable({ name, files }: { name: string; files: FileEntry[] }) {
  const [i, setI] = useState(files.length - 1)
  const f = files[Math.min(i, files.length - 1)] as FileEntry
  const [state, setState] = useState<{ id: number; table?: TableData; error?: string }>()
  // keyed on the file's id: the page hands over new file objects on every reload of a live run
  // biome-ignore lint/correctness/useExhaustiveDependencies: f.id stands for f (a new object each reload)
  useEffect(() => {
    let live = true
    fileText(f)
      .then((text) => parseTable(text, f.meta?.format))
      .then(
        (table) => live && setState({ id: f.id, table }),
        (e: Error) => live && setState({ id: f.id, error: e.message }),
      )
    return () => {
      live = false
    }
  }, [f.id])
  // what the previous step showed stays until this one's file arrives (no flash of "loading")
  const table = state?.table
  return (
    <figure className="media-table" data-testid="media-table" data-name={name} data-step={f.step ?? ''}>
      <figcaption className="small">
        <span className="mono">{name}</span>
        <span className="muted"> · step {f.step ?? '—'}</span>
        {table && table.rows.length > TABLE_ROWS && (
          <span className="muted">
            {' '}
            · first {TABLE_ROWS} of {table.rows.length} rows
          </span>
        )}
      </figcaption>
      {state?.error && state.id === f.id ? (
        <div className="error-text small">{state.error}</div>
      ) : table ? (
        <div className="hscroll media-table-scroll">
          <table className="kv">
            <thead>
              <tr>
                {table.columns.map((c, k) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns may repeat a name; their position is their identity
                  <th key={k}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.slice(0, TABLE_ROWS).map((r, k) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no key of their own
                <tr key={k}>
                  {table.columns.map((_, c) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <td key={c} className="mono">
                      {cellText(r[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="muted small">loading…</div>
      )}
      {files.length > 1 && (
        <StepSlider
          count={files.length}
          at={Math.min(i, files.length - 1)}
          step={f.step}
          label={`step of table ${name}`}
          testId="media-table-step"
          onChange={setI}
        />
      )}
    </figure>
  )
}

/** Histogram series grouped by name, each a heat map over steps; nothing when the run logged none. */
export function HistogramsCard({ files }: { files: FileEntry[] }) {
  const groups = mediaGroups(files, 'histogram')
  if (groups.length === 0) return null
  return (
    <div className="card" data-testid="histograms">
      <h2>Histograms</h2>
      <div className="previews">
        {groups.map(([name, list]) => (
          <HistogramHeatmap key={name} name={name} files={list} />
        ))}
      </div>
    </div>
  )
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4))))

function HistogramHeatmap({ name, files }: { name: string; files: FileEntry[] }) {
  const [state, setState] = useState<{ grid?: HeatGrid; error?: string }>({})
  // a new file (a live run's next step) changes the ids, and the map is read again
  const ids = files.map((f) => f.id).join(',')
  // biome-ignore lint/correctness/useExhaustiveDependencies: ids stands for files (a new array each render)
  useEffect(() => {
    let live = true
    const picked = spread(files, HEAT_STEPS)
    Promise.all(picked.map(async (f) => ({ step: f.step, h: parseHistogram(await fileText(f)) }))).then(
      (hists) => live && setState({ grid: heatGrid(hists, HEAT_ROWS) }),
      (e: Error) => live && setState({ error: e.message }),
    )
    return () => {
      live = false
    }
  }, [ids])
  const grid = state.grid
  const colW = grid ? Math.max(3, Math.min(24, Math.floor(480 / Math.max(1, grid.columns.length)))) : 0
  const cellH = 4
  const left = 48
  const plotW = grid ? colW * grid.columns.length : 0
  const plotH = cellH * HEAT_ROWS
  const rowW = grid ? (grid.hi - grid.lo) / HEAT_ROWS : 0
  return (
    <figure className="heatmap" data-testid="histogram-heatmap" data-name={name} data-range={grid ? `${grid.lo} ${grid.hi}` : ''}>
      <figcaption className="small">
        <span className="mono">{name}</span>
        <span className="muted">
          {' '}
          · {files.length} step{files.length === 1 ? '' : 's'}
          {files.length > HEAT_STEPS ? `, ${HEAT_STEPS} shown` : ''}
        </span>
      </figcaption>
      {state.error ? (
        <div className="error-text small">{state.error}</div>
      ) : !grid ? (
        <div className="muted small">loading…</div>
      ) : (
        <svg width={left + plotW + 4} height={plotH + 18} role="img" aria-label={`histogram ${name} over steps`}>
          <text x={left - 4} y={8} textAnchor="end">
            {fmt(grid.hi)}
          </text>
          <text x={left - 4} y={plotH} textAnchor="end">
            {fmt(grid.lo)}
          </text>
          <rect x={left} y={0} width={plotW} height={plotH} className="heatmap-bg" />
          {grid.columns.map((c, k) => {
            const peak = c.cells.indexOf(Math.max(...c.cells))
            return (
              <g
                // biome-ignore lint/suspicious/noArrayIndexKey: one column per sampled file, in step order
                key={k}
                data-testid="heatmap-column"
                data-step={c.step ?? ''}
                data-peak={c.total > 0 ? grid.lo + (peak + 0.5) * rowW : ''}
              >
                <title>{`step ${c.step ?? '—'} · ${c.total} values`}</title>
                {c.cells.map((v, r) =>
                  v > 0 ? (
                    // low values at the bottom, as on a chart's y axis
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <rect key={r} x={left + k * colW} y={plotH - (r + 1) * cellH} width={colW} height={cellH} fillOpacity={v} className="heatmap-cell" />
                  ) : null,
                )}
              </g>
            )
          })}
          <text x={left} y={plotH + 14}>
            {grid.columns[0]?.step ?? ''}
          </text>
          <text x={left + plotW} y={plotH + 14} textAnchor="end">
            {grid.columns.at(-1)?.step ?? ''}
          </text>
        </svg>
      )}
    </figure>
  )
}
