// The reads `mldb --server URL best|export` need beyond the dashboard's read API
// (store-read.ts), answered by any Store (SQLite or PostgreSQL) with what
// Database.bestExperiment and exportRecords give on a file, so the CLI prints
// the same through a server as on a file.
import { Hono } from 'hono'
import { z } from 'zod'
import { pickBestFiles } from '../../api/best-files.js'
import { creationOrder, experimentRecord } from '../../api/export.js'
import type { ExportRecord } from '../../api/records.js'
import { registryRecordsOf } from '../../api/registry-records.js'
import { checkSeriesName, checkSplit } from '../../api/validate.js'
import { toJson } from '../../json.js'
import { isBlankFilter, parseSeriesKey, seriesField } from '../../query/filter.js'
import { BEFORE_FIRST_STEP } from '../../store/steps.js'
import type { Store, StoredExperiment } from '../../store/store.js'
import type { ExperimentSummary, SeriesSummary } from '../../store/types.js'
import { jsonResponse } from '../errors.js'
import { noQuery, queryValidator } from '../validators.js'

const bestQuery = z.strictObject({
  series: z.string().min(1, 'name a series such as "valid/loss" or "rmse"'),
  // the client decides the direction (its config file's "directions", then the shared word list)
  mode: z.enum(['min', 'max']),
  where: z.string().max(10_000).optional(),
  project: z.string().min(1).optional(),
})
const exportQuery = z.strictObject({
  where: z.string().max(10_000).optional(),
  project: z.string().min(1).optional(),
})

/** Points read per request of a series while exporting; doubled when one step holds more. */
const POINT_PAGE = 100_000
/** Text sent per chunk of the export stream. */
const CHUNK = 1 << 16

/** SQLite's BINARY order (UTF-8 bytes), which the file's export uses for keys, splits and names. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/**
 * A series' points in step order (equal steps in the order logged), page by
 * page: `afterStep` pages by step, so a page that ends inside a step is read
 * again from that step, with a larger page when one step fills a whole page.
 */
async function* seriesPages(store: Store, exp: string, key: string): AsyncGenerator<readonly { step: number; time: number; value: number }[]> {
  let after = BEFORE_FIRST_STEP
  let limit = POINT_PAGE
  for (;;) {
    const page = await store.getPoints(exp, key, { afterStep: after, limit })
    if (page.length < limit) {
      yield page
      return
    }
    const lastStep = (page.at(-1) as { step: number }).step
    const whole = page.filter((p) => p.step !== lastStep)
    if (whole.length === 0) {
      limit *= 2
      continue
    }
    yield whole
    after = lastStep - 1
    limit = POINT_PAGE
  }
}

/** A number as toJson writes it: NaN and ±Infinity as strings. */
const numberJson = (v: number): string => (Number.isFinite(v) ? String(v) : `"${v}"`)

/**
 * The lines `mldb export` writes for one experiment, in the order of
 * src/api/export.ts, as text: a point line is its series' prefix plus three
 * numbers, as toJson would write the record (millions of them, so no object each).
 */
async function* experimentLines(store: Store, e: ExperimentSummary, detail: Promise<StoredExperiment>): AsyncGenerator<string> {
  const base = { experiment: e.name, project: e.project }
  const head: ExportRecord[] = [experimentRecord(e)]
  const { statusHistory, files } = await detail
  for (const h of statusHistory) head.push({ record: 'status', ...base, status: h.status, time: h.time })
  for (const key of Object.keys(e.params).sort(byteOrder)) head.push({ record: 'param', ...base, key, value: e.params[key] ?? null })
  for (const key of Object.keys(e.tags).sort(byteOrder)) head.push({ record: 'tag', ...base, key, value: e.tags[key] ?? '' })
  for (const f of files) {
    const { path, kind, step, size, mtime, sha256, meta, createdAt } = f
    head.push({ record: 'file', ...base, path, kind, step, size, mtime, sha256, meta, createdAt })
  }
  yield head.map((r) => `${toJson(r)}\n`).join('')
  const series = Object.values(e.series).sort((a, b) => byteOrder(a.split, b.split) || byteOrder(a.name, b.name))
  for (const s of series) {
    const prefix = toJson({ record: 'point', ...base, series: s.name, split: s.split }).slice(0, -1)
    for await (const page of seriesPages(store, e.name, s.key)) {
      let text = ''
      for (const p of page) text += `${prefix},"step":${p.step},"time":${p.time},"value":${numberJson(p.value)}}\n`
      yield text
    }
  }
}

/**
 * The registry's lines of the export, after the experiments and files they
 * point at, by the file export's rule (registryRecordsOf): all of it, or with
 * `experiments` (a filtered export) the versions of those experiments.
 */
async function registryLines(store: Store, experiments: ReadonlySet<string> | undefined): Promise<string> {
  const models = await store.registry.list()
  const [versions, history] = await Promise.all([
    Promise.all(models.map((m) => store.registry.versions(m.name))),
    Promise.all(models.map((m) => store.registry.history(m.name))),
  ])
  const contents = { models, versions: versions.flat(), history: new Map(models.map((m, i) => [m.name, history[i] ?? []])) }
  let text = ''
  for (const r of registryRecordsOf(contents, experiments)) text += `${toJson(r)}\n`
  return text
}

/**
 * `GET /api/best`, `GET /api/series-names` and `GET /api/export` (JSON lines,
 * ending with `{"record":"end"}` so a client can tell a finished export from a
 * cut one; a failure after the first line is an `{"record":"error"}` line).
 *
 * @example app.route('/api', cliReadRoutes(store))
 */
export function cliReadRoutes(store: Store): Hono {
  const app = new Hono()

  app.get('/series-names', noQuery, async (c) => {
    return jsonResponse(c, { series: await store.liveSeriesNames() })
  })

  // Database.bestExperiment over the Store: the same filter, order and files.
  app.get('/best', queryValidator(bestQuery), async (c) => {
    const q = c.req.valid('query')
    const { name, split } = parseSeriesKey(q.series)
    checkSeriesName(name)
    checkSplit(split)
    const key = split ? `${split}/${name}` : name
    const agg = `${q.mode}(${seriesField(key)})`
    const own = q.where !== undefined && !isBlankFilter(q.where)
    // The caller's filter alone first, so that its errors point at its own columns.
    if (own) await store.countExperiments({ where: q.where, project: q.project })
    const where = own ? `(${q.where}) and ${agg} is not null` : `${agg} is not null`
    const [best] = await store.listExperiments({ where, project: q.project, orderBy: `${agg} ${q.mode === 'min' ? 'asc' : 'desc'}`, limit: 1 })
    if (!best) return jsonResponse(c, { experiment: null })
    const s = best.series[key] as SeriesSummary
    const value = q.mode === 'min' ? s.min : s.max
    const step = await store.firstStepWithValue(best.name, key, value)
    const { files } = await store.getExperiment(best.name)
    const stored = await Promise.all(files.map(async (f) => f.sha256 !== null && (await store.artifactSize(f.sha256)) === f.size))
    return jsonResponse(c, {
      experiment: { ...best, best: value, mode: q.mode, step, ...pickBestFiles(files, step) },
      // the model files, and which files' bytes the server holds (such a file is never MISSING)
      files: files.filter((f) => f.kind === 'model'),
      stored: files.filter((_, i) => stored[i]).map((f) => f.id),
    })
  })

  app.get('/export', queryValidator(exportQuery), async (c) => {
    const q = c.req.valid('query')
    // The listing first: a bad filter is a 400 before anything is streamed.
    const exps = (await store.listExperiments({ where: q.where, project: q.project, orderBy: 'created asc' })).sort(creationOrder)
    async function* lines(): AsyncGenerator<string> {
      // the next experiment's history and files are read while this one's points stream
      const detail = (i: number) => {
        const p = exps[i] ? store.getExperiment(exps[i].name) : Promise.resolve(undefined)
        p.catch(() => {}) // awaited (and its failure reported) when its turn comes
        return p as Promise<StoredExperiment>
      }
      try {
        let next = detail(0)
        for (const [i, e] of exps.entries()) {
          const mine = next
          next = detail(i + 1)
          yield* experimentLines(store, e, mine)
        }
        const filtered = Boolean(q.where?.trim()) || q.project !== undefined
        yield await registryLines(store, filtered ? new Set(exps.map((e) => e.name)) : undefined)
        yield '{"record":"end"}\n'
      } catch (e) {
        yield `${toJson({ record: 'error', message: (e as Error).message })}\n`
      }
    }
    const it = lines()
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk = ''
        while (chunk.length < CHUNK) {
          const r = await it.next()
          if (r.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk))
            controller.close()
            return
          }
          chunk += r.value
        }
        controller.enqueue(encoder.encode(chunk))
      },
      async cancel() {
        await it.return(undefined)
      },
    })
    return new Response(body, { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } })
  })

  return app
}
