// Reading what logTable and logHistogram wrote (docs/schema.md, "Media files"):
// which recorded files they are, their bytes parsed back, and a histogram series
// put on one value axis so its steps can be drawn side by side as a heat map.

/** What grouping needs of a recorded file (a FileEntry; kept structural so the Node tests can import this module). */
export interface MediaFile {
  id: number
  step: number | null
  meta: Record<string, unknown> | null
}

/** A table file's content: column names and rows of cells. */
export interface TableData {
  columns: string[]
  rows: unknown[][]
}

/** One histogram file's content: bucket edges (one more than counts) and counts. */
export interface HistogramData {
  edges: number[]
  counts: number[]
}

/** The files of one `meta.media` kind grouped by `meta.name`, each group in step order (names sorted). */
export function mediaGroups<F extends MediaFile>(files: readonly F[], media: 'table' | 'histogram'): [string, F[]][] {
  const groups = new Map<string, F[]>()
  for (const f of files) {
    const meta = f.meta
    if (!meta || meta.media !== media || typeof meta.name !== 'string') continue
    let g = groups.get(meta.name)
    if (!g) {
      g = []
      groups.set(meta.name, g)
    }
    g.push(f)
  }
  const byStep = (a: F, b: F) => (a.step ?? Number.NEGATIVE_INFINITY) - (b.step ?? Number.NEGATIVE_INFINITY) || a.id - b.id
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => [name, list.sort(byStep)])
}

/** Rows of RFC 4180 CSV (quoted cells may hold commas, quotes as "" and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += ch
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

/** A table file's text as columns and rows; `format` from its meta ('json' unless 'csv'). */
export function parseTable(text: string, format: unknown): TableData {
  if (format === 'csv') {
    const [columns = [], ...rows] = parseCsv(text)
    return { columns, rows }
  }
  const t = JSON.parse(text) as Partial<TableData>
  if (!Array.isArray(t.columns) || !Array.isArray(t.rows)) throw new Error('not a table file: no columns and rows')
  return { columns: t.columns.map(String), rows: t.rows.map((r) => (Array.isArray(r) ? r : [r])) }
}

/** A histogram file's text; edges that do not fit its counts are refused. */
export function parseHistogram(text: string): HistogramData {
  const h = JSON.parse(text) as Partial<HistogramData>
  const edges = Array.isArray(h.edges) ? h.edges.map(Number) : []
  const counts = Array.isArray(h.counts) ? h.counts.map(Number) : []
  if (counts.length > 0 && edges.length !== counts.length + 1) throw new Error('not a histogram file: edges do not fit counts')
  return { edges, counts }
}

/** A heat map's data: one column per step, `rows` cells from `lo` (first) to `hi` (last), each 0..1 of its column's largest. */
export interface HeatGrid {
  lo: number
  hi: number
  columns: { step: number | null; cells: number[]; total: number }[]
}

/**
 * Puts histograms whose buckets differ (each logged from its own min to max) on one
 * value axis of `rows` equal cells: a bucket's count is shared among the cells it
 * overlaps in proportion to the overlap. Each column is scaled to its own largest
 * cell, so a step's shape shows whatever its total.
 *
 * @example heatGrid([{ step: 0, h: { edges: [0, 1, 2], counts: [3, 1] } }], 2).columns[0].cells // [1, 1/3]
 */
export function heatGrid(hists: readonly { step: number | null; h: HistogramData }[], rows: number): HeatGrid {
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const { h } of hists) {
    if (h.counts.length === 0) continue
    lo = Math.min(lo, h.edges[0] as number)
    hi = Math.max(hi, h.edges.at(-1) as number)
  }
  if (!(hi > lo)) return { lo: 0, hi: 0, columns: hists.map(({ step }) => ({ step, cells: new Array(rows).fill(0), total: 0 })) }
  const width = (hi - lo) / rows
  const columns = hists.map(({ step, h }) => {
    const cells = new Array<number>(rows).fill(0)
    let total = 0
    for (let b = 0; b < h.counts.length; b++) {
      const count = h.counts[b] as number
      const a = h.edges[b] as number
      const z = h.edges[b + 1] as number
      total += count
      if (!(count > 0) || !(z > a)) continue
      const first = Math.max(0, Math.floor((a - lo) / width))
      const last = Math.min(rows - 1, Math.ceil((z - lo) / width) - 1)
      for (let r = first; r <= last; r++) {
        const overlap = Math.min(z, lo + (r + 1) * width) - Math.max(a, lo + r * width)
        if (overlap > 0) cells[r] = (cells[r] as number) + (count * overlap) / (z - a)
      }
    }
    const top = Math.max(...cells)
    return { step, cells: top > 0 ? cells.map((c) => c / top) : cells, total }
  })
  return { lo, hi, columns }
}

/** At most `max` items spread evenly, first and last kept (a heat map of 5,000 steps reads 100 files). */
export function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items]
  return Array.from({ length: max }, (_, i) => items[Math.round((i * (items.length - 1)) / (max - 1))] as T)
}
