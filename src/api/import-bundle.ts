import { MldbError, ValidationError } from '../errors.js'
import { type RegistryImportData, type RegistryImportResult, writeRegistryImport } from '../registry/registry-import.js'
import { busySeconds, withBusyRetry } from '../store/connection.js'
import { type ImportedSeries, insertImportedExperiment, nameTakenLookup } from '../store/import-rows.js'
import { sqliteError } from '../store/sqlite-errors.js'
import type { ExperimentFields, FileRecord, Json, StatusChange } from '../store/types.js'
import type { BatchPoint, Database } from './database.js'
import { checkExpName, checkKey, checkProjectName, checkSeriesName, checkSplit, checkStatus, checkStep, checkValue, toJsonValue } from './validate.js'
import { textProblemAt } from './validate-text.js'

/** What an export file reads into: one bundle per experiment, and the registry records when it has some. */
export type ExportBundles = ExperimentBundle[] & { registry?: RegistryImportData }

/** A file pointer to import as it was recorded (the file is not read). */
export type ImportedFile = Omit<FileRecord, 'id' | 'experiment'>

/** Everything about one experiment, ready to write in one transaction. */
export interface ExperimentBundle extends ExperimentFields {
  name: string
  history: StatusChange[]
  params: Record<string, Json>
  tags: Record<string, string>
  files: ImportedFile[]
  points: BatchPoint[]
}

/** A bundle with defaults, for formats that carry only some of it. */
export function newBundle(name: string, project: string): ExperimentBundle {
  return {
    name,
    project,
    status: 'COMPLETE',
    createdAt: Number.NaN,
    startedAt: null,
    endedAt: null,
    updatedAt: Number.NaN,
    heartbeatAt: null,
    host: null,
    pid: null,
    notes: '',
    history: [],
    params: {},
    tags: {},
    files: [],
    points: [],
  }
}

/** Fills missing times from the points, so an experiment made of bare points still sorts sensibly. */
export function completeBundle(b: ExperimentBundle): ExperimentBundle {
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const p of b.points) {
    const t = p.time ?? 0
    if (t < first) first = t
    if (t > last) last = t
  }
  const fallback = Number.isFinite(first) ? first : Date.now()
  if (!Number.isFinite(b.createdAt)) b.createdAt = b.startedAt ?? fallback
  if (!Number.isFinite(b.updatedAt)) b.updatedAt = Math.max(b.createdAt, b.endedAt ?? (Number.isFinite(last) ? last : b.createdAt))
  return b
}

/**
 * Checks names and values before anything is written; throws ValidationError naming the
 * experiment, since an export file or an MLflow store holds many and the first refusal
 * stops the whole import.
 */
export function checkBundle(b: ExperimentBundle): void {
  checkExpName(b.name)
  try {
    checkBundleValues(b)
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e
    throw new ValidationError(`experiment "${b.name}": ${e.message}; nothing was imported`, e.field)
  }
}

function checkBundleValues(b: ExperimentBundle): void {
  checkProjectName(b.project)
  checkStatus(b.status)
  for (const [k, v] of Object.entries(b.params)) {
    checkKey('param key', k)
    toJsonValue(k, v)
  }
  for (const k of Object.keys(b.tags)) checkKey('tag key', k)
  const seen = new Set<string>()
  for (const p of b.points) {
    const key = `${p.split ?? ''}/${p.name}`
    if (!seen.has(key)) {
      checkSeriesName(p.name)
      checkSplit(p.split)
      seen.add(key)
    }
    checkStep(p.step)
    checkValue(p.name, p.value)
  }
}

const REGISTRY_KINDS = new Set(['model', 'model_version', 'model_alias', 'model_alias_change'])

/**
 * What a write would refuse in one record of an export file (a U+0000 or lone surrogate
 * kept from before the rule, in any text: tag, notes, host, file meta, a description),
 * naming the experiment (or model and version) and the field; undefined when it may be
 * stored. The import is one transaction, so the caller refuses the whole file with the
 * line number, rather than importing the experiment without the value.
 *
 * @example recordTextProblem({ record: 'tag', experiment: 'e', key: 't', value: 'a\u0000' }) // 'experiment "e": tag "t" contains U+0000 ...'
 */
export function recordTextProblem(rec: Record<string, unknown>): string | undefined {
  const at = textProblemAt(rec)
  if (!at) return undefined
  const kind = typeof rec.record === 'string' ? rec.record : 'point'
  const q = (v: unknown): string => JSON.stringify(typeof v === 'string' ? v : String(v ?? ''))
  const owner = REGISTRY_KINDS.has(kind)
    ? `${kind} ${q(rec.model)}${rec.version !== undefined && rec.version !== null ? ` version ${q(rec.version)}` : ''}`
    : `experiment ${q(rec.experiment)}`
  const [top, ...rest] = at.path
  const inner = rest.map((p) => ` ${q(p)}`).join('')
  let field: string
  if ((kind === 'param' || kind === 'tag') && (top === 'key' || top === 'value')) field = `${kind} ${q(rec.key)}${top === 'key' ? ' key' : ''}${inner}`
  else if (kind === 'file') field = `file ${q(rec.path)} ${String(top)}${inner}`
  else field = `${String(top)}${inner}`
  return `${owner}: ${field} ${at.problem}; nothing was imported`
}

/** A lookup of whether the database already has an experiment of that name (live or in the trash). */
export function nameTaken(db: Database): (name: string) => boolean {
  return nameTakenLookup(db.sqlite)
}

/** Names among `names` that the database already has (live or in the trash). */
export function existingNames(db: Database, names: Iterable<string>): string[] {
  const taken = nameTakenLookup(db.sqlite)
  return [...names].filter((n) => taken(n))
}

/**
 * Writes one experiment with its history, params, tags, files and points in
 * one transaction. Points go through the same PointWriter as `db.logBatch`
 * (which cannot run inside an outer transaction), so series summaries and
 * blocks are kept as for any write. Fails if the name is taken.
 */
export function writeBundle(db: Database, b: ExperimentBundle): void {
  const groups = new Map<string, ImportedSeries>()
  for (const x of b.points) {
    const split = x.split ?? ''
    const key = `${x.name}\u0000${split}`
    let g = groups.get(key)
    if (!g) {
      g = { name: x.name, split, points: [] }
      groups.set(key, g)
    }
    g.points.push({ step: x.step, time: Math.trunc(x.time ?? b.updatedAt), value: x.value })
  }
  const written = insertImportedExperiment(db.sqlite, {
    name: b.name,
    project: b.project,
    status: b.status,
    createdAt: b.createdAt,
    startedAt: b.startedAt,
    endedAt: b.endedAt,
    updatedAt: b.updatedAt,
    heartbeatAt: b.heartbeatAt,
    host: b.host,
    pid: b.pid,
    notes: b.notes,
    history: b.history,
    params: Object.entries(b.params).map(([k, v]) => [k, JSON.stringify(v)]),
    tags: Object.entries(b.tags),
    files: b.files.map((x) => ({ ...x, meta: x.meta === null ? null : JSON.stringify(x.meta) })),
    series: [...groups.values()],
  })
  if (!written) throw new MldbError(`experiment "${b.name}" already exists in ${db.path}; nothing was imported`)
}

/**
 * Writes every bundle of one source in one transaction (issue 8 item 10): an
 * import killed half-way leaves nothing behind, so running it again completes
 * it without duplicates or "already exists". The bundles are in memory already
 * (everything is read and checked first), so one transaction costs no memory;
 * other processes logging meanwhile wait for it, as for any write.
 * `onEach` runs after each bundle (progress). The registry records of an
 * export file (`bundles.registry`) are written last, in the same transaction,
 * after the experiments and files they point at; each line of their report
 * goes to `onReport` (by default one line on stderr: `mldb import` prints
 * them so), and the result is returned.
 *
 * @example writeBundles(db, bundles, () => bar.tick())
 */
export function writeBundles(
  db: Database,
  bundles: readonly ExperimentBundle[] & { registry?: RegistryImportData },
  onEach?: () => void,
  onReport: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): RegistryImportResult | undefined {
  let result: RegistryImportResult | undefined
  try {
    withBusyRetry(() =>
      db.sqlite
        .transaction(() => {
          for (const b of bundles) {
            writeBundle(db, b)
            onEach?.()
          }
          result = bundles.registry ? writeRegistryImport(db.sqlite, bundles.registry) : undefined
        })
        .immediate(),
    )
  } catch (e) {
    throw sqliteError(e, db.path, { busySeconds: busySeconds(db.busyTimeoutMs) })
  }
  for (const line of result?.report ?? []) onReport(line)
  return result
}
