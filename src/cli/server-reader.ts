import type { ExperimentDetail } from '../api/database.js'
import { type Direction, seriesDirection } from '../api/direction.js'
import type { ExportOptions } from '../api/export.js'
import { fileProblem } from '../api/files.js'
import type { ExportRecord } from '../api/records.js'
import { rankSimilarSeries } from '../api/series-lookup.js'
import { checkSeriesKey } from '../api/validate.js'
import { MldbError, NotFoundError } from '../errors.js'
import { parseJsonNumbers } from '../json.js'
import { parseSeriesKey } from '../query/filter.js'
import type { Bucket } from '../store/downsample.js'
import type { ExperimentSummary, FileRecord } from '../store/types.js'
import type { BestExperiment, FileProblem, ListQuery, Reader } from './reader.js'
import { serverGet, serverGetText } from './server-http.js'

/** The most experiments the server lists per request (its MAX_LIMIT); more are read page by page. */
const PAGE = 50_000

/** A file as the server's read API lists it: whether it holds the bytes, and a download link. */
type ServedFile = FileRecord & { stored?: boolean; problem?: unknown; url?: unknown }

/** The query string of a listing. */
function listParams(q: ListQuery): Record<string, string | undefined> {
  return { project: q.project, status: q.status, where: q.where, orderBy: q.orderBy, trashed: q.trashed ? 'true' : undefined }
}

/**
 * The read commands through a team server's HTTP read API (`mldb server`):
 * the dashboard's routes for listings, experiments and sparklines, and
 * /api/best, /api/series-names and /api/export (src/server/routes/cli-read.ts).
 * Directions come from this machine's config file, as on a file.
 */
export class ServerReader implements Reader {
  /** files whose bytes the server holds: never MISSING, wherever the command runs */
  private readonly stored = new Set<number>()
  private names: { name: string; split: string }[] | undefined
  private readonly models = new Map<string, FileRecord[]>()
  private readonly totals = new Map<string, number>()

  constructor(
    private readonly server: string,
    private readonly token: string | undefined,
  ) {}

  private async json<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return parseJsonNumbers<T>(await serverGetText(this.server, this.token, path, query))
  }

  async listExperiments(query: ListQuery, limit: number | undefined): Promise<ExperimentSummary[]> {
    const rows: ExperimentSummary[] = []
    for (;;) {
      const want = Math.min(PAGE, (limit ?? Number.POSITIVE_INFINITY) - rows.length)
      const page = await this.json<{ total: number; experiments: ExperimentSummary[] }>('api/experiments', {
        ...listParams(query),
        limit: String(want),
        offset: String(rows.length),
      })
      this.totals.set(JSON.stringify(listParams(query)), page.total)
      rows.push(...page.experiments)
      if (page.experiments.length < want || rows.length === limit) return rows
    }
  }

  async countExperiments(query: ListQuery): Promise<number> {
    const key = JSON.stringify(listParams(query))
    const known = this.totals.get(key)
    if (known !== undefined) return known
    return (await this.json<{ total: number }>('api/experiments', { ...listParams(query), limit: '1' })).total
  }

  async getExperiment(name: string): Promise<ExperimentDetail> {
    let e: ExperimentDetail & { files: ServedFile[] }
    try {
      e = await this.json(`api/experiments/${encodeURIComponent(name)}`)
    } catch (err) {
      if (err instanceof NotFoundError)
        throw new NotFoundError(`no experiment named "${name}" on ${this.server}; check the name with \`mldb ls\``, 'experiment', name)
      throw err
    }
    return { ...e, files: e.files.map((f) => this.fileRecord(f)) }
  }

  /** The record as a file lists it, remembering whether the server holds its bytes. */
  private fileRecord(f: ServedFile): FileRecord {
    const { stored, problem: _problem, url: _url, ...record } = f
    if (stored) this.stored.add(record.id)
    return record
  }

  fileProblem(f: FileRecord): FileProblem {
    return this.stored.has(f.id) ? null : (fileProblem(f) ?? null)
  }

  seriesDirection(key: string): Direction {
    checkSeriesKey('key', key)
    return seriesDirection(key)
  }

  async downsample(name: string, key: string, buckets: number): Promise<Bucket[]> {
    const path = `api/experiments/${encodeURIComponent(name)}/downsample`
    return (await this.json<{ buckets: Bucket[] }>(path, { series: key, buckets: String(buckets) })).buckets
  }

  private async seriesNames(): Promise<{ name: string; split: string }[]> {
    this.names ??= (await this.json<{ series: { name: string; split: string }[] }>('api/series-names')).series
    return this.names
  }

  async hasSeries(key: string): Promise<boolean> {
    const { name, split } = parseSeriesKey(key)
    return (await this.seriesNames()).some((s) => s.name === name && s.split === split)
  }

  async similarSeries(key: string): Promise<string[]> {
    return rankSimilarSeries(await this.seriesNames(), key)
  }

  async bestExperiment(key: string, mode: Direction | undefined, options: { where?: string; project?: string }): Promise<BestExperiment | undefined> {
    const r = await this.json<{ experiment: BestExperiment | null; files: ServedFile[]; stored: number[] }>('api/best', {
      series: key,
      mode: mode ?? this.seriesDirection(key),
      where: options.where,
      project: options.project,
    })
    if (!r.experiment) return undefined
    for (const id of r.stored) this.stored.add(id)
    this.models.set(r.experiment.name, r.files)
    return r.experiment
  }

  async modelFiles(name: string): Promise<FileRecord[]> {
    return this.models.get(name) ?? (await this.getExperiment(name)).files.filter((f) => f.kind === 'model')
  }

  async *exportRecords(options: ExportOptions, onExperiment: () => void): AsyncIterable<ExportRecord> {
    const res = await serverGet(this.server, this.token, 'api/export', { where: options.where, project: options.project })
    const decoder = new TextDecoder()
    let rest = ''
    let seen = 0
    let ended = false
    const parse = (line: string): ExportRecord | undefined => {
      const r = JSON.parse(line) as ExportRecord | { record: 'end' } | { record: 'error'; message: string }
      if (r.record === 'end') {
        ended = true
        return undefined
      }
      if (r.record === 'error') throw new MldbError(`the mldb server at ${this.server} failed during the export: ${r.message}`)
      // a point's value is the one number that may be "NaN", "Infinity" or "-Infinity"; a param's value is the user's own
      if (r.record === 'point' && typeof r.value === 'string') r.value = Number(r.value)
      if (r.record === 'experiment' && seen++ > 0) onExperiment()
      return r
    }
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n')
        rest = lines.pop() as string
        for (const line of lines) {
          const r = line ? parse(line) : undefined
          if (r) yield r
        }
      }
    } catch (e) {
      if (e instanceof MldbError) throw e
      throw new MldbError(`the mldb server at ${this.server} stopped sending the export (${(e as Error).message}); run it again`)
    }
    if (rest) parse(rest)
    if (!ended) throw new MldbError(`the mldb server at ${this.server} stopped sending the export before its end; run it again`)
    if (seen > 0) onExperiment()
  }

  [Symbol.dispose](): void {}
}
