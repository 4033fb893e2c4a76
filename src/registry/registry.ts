import { realpathSync, statSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { resolve } from 'node:path'
import { fileProblem, sha256File } from '../api/files.js'
import { checkUnicode } from '../api/validate-text.js'
import { NotFoundError, ValidationError } from '../errors.js'
import { parseJsonNumbers, toJson } from '../json.js'
import type { Sqlite } from '../store/connection.js'
import { ExperimentRows } from '../store/experiment-rows.js'
import { seriesFromRow } from '../store/experiments.js'
import { type FileRow, FileRows } from '../store/file-rows.js'
import { ParamRows } from '../store/param-rows.js'
import { type ModelRow, type NewVersion, RegistryRows, type VersionRow } from '../store/registry-rows.js'
import { SeriesRows } from '../store/series-rows.js'
import type { Json } from '../store/types.js'
import { checkAlias, checkModelName, checkVersion, parseModelRef } from './names.js'
import type { AliasChange, ModelCheck, ModelMetric, ModelVersion, RegisteredModel, RegisterModelOptions, RemoteRegistration, VersionEvidence } from './types.js'

/** What the registry needs from the Database that holds it. */
export interface RegistryHost {
  readonly sqlite: Sqlite
  readonly path: string
  /** throws when the database is closed */
  assertOpen(): void
  /** runs fn in one write transaction (BEGIN IMMEDIATE, retried while busy) */
  write<T>(fn: () => T): T
  /** the id of a live experiment, or NotFoundError */
  experimentId(name: string): number
  /** the name of the best experiment of a series, if any; without a goal, the series' direction decides */
  bestExperiment(series: string, goal: 'min' | 'max' | undefined, options: { where?: string; project?: string }): string | undefined
}

const MAX_DESCRIPTION = 100_000

/** user@host, for the alias history. */
export function who(): string {
  let user = process.env.USER ?? process.env.USERNAME ?? ''
  try {
    user = userInfo().username
  } catch {
    // no passwd entry (some containers): keep the environment's name
  }
  return `${user || 'unknown'}@${hostname()}`
}

export function checkDescription(d: unknown): string {
  if (d === undefined) return ''
  if (typeof d !== 'string') throw new ValidationError(`description must be a string, got ${typeof d}`, 'description')
  if (d.length > MAX_DESCRIPTION)
    throw new ValidationError(`description is over ${MAX_DESCRIPTION.toLocaleString('en')} characters; keep long text in a file`, 'description')
  return checkUnicode('description', 'description', d)
}

export function checkTags(tags: unknown): Record<string, string> {
  if (tags === undefined) return {}
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) throw new ValidationError('tags must be an object of strings', 'tags')
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(tags)) {
    if (k === '' || k.length > 128) throw new ValidationError(`tag key "${k.slice(0, 40)}" must be 1 to 128 characters`, 'tags')
    checkUnicode('tag key', 'tags', k)
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new ValidationError(`tag "${k}" must be a string, number or boolean`, k)
    out[k] = checkUnicode(`tag "${k}"`, k, String(v))
  }
  return out
}

export function checkAliases(aliases: unknown): string[] {
  if (aliases === undefined) return []
  if (!Array.isArray(aliases)) throw new ValidationError('aliases must be an array of words such as ["champion"]', 'aliases')
  return [...new Set(aliases.map(checkAlias))]
}

/**
 * The model registry over one database: named models, numbered versions that
 * each point to one recorded file of one experiment, and aliases whose every
 * move is kept. A version copies its evidence (path, sha256, size, params,
 * series summaries) at registration, so it outlives its experiment.
 */
export class Registry {
  private readonly rows: RegistryRows
  private readonly files: FileRows
  private readonly params: ParamRows
  private readonly series: SeriesRows

  constructor(private readonly host: RegistryHost) {
    this.rows = new RegistryRows(host.sqlite)
    this.files = new FileRows(host.sqlite)
    this.params = new ParamRows(host.sqlite)
    this.series = new SeriesRows(host.sqlite)
  }

  /** Registers a new version of `name` (created when new); see RegisterModelOptions. */
  register(name: string, options: RegisterModelOptions): ModelVersion {
    const { model, aliases, description, tags, exp, expId, file, sha256 } = this.prepare(name, options)
    const by = who()
    const version = this.host.write(() => {
      if (!this.files.byId(file.id)) throw new NotFoundError(`the file record of ${file.path} was removed meanwhile; register again`, 'file', file.path)
      const { params, metrics } = this.evidence(expId)
      return this.insert(
        model,
        { exp, path: file.path, sha256, size: file.size, params, metrics },
        {
          aliases,
          description,
          tags: options.tags === undefined ? undefined : tags,
          by,
          experimentId: expId,
          fileId: file.id,
        },
      )
    })
    return this.get(`${model}/${version}`)
  }

  /**
   * What a registration sends to a team server: the checked names and the
   * version's evidence (the file's sha256 hashed here, the experiment's params
   * and series summaries now), without writing anything to this file.
   */
  remoteRegistration(name: string, options: RegisterModelOptions): RemoteRegistration {
    const { model, aliases, description, tags, exp, expId, file, sha256 } = this.prepare(name, options)
    const { params, metrics } = this.evidence(expId)
    return {
      name: model,
      evidence: { exp, path: file.path, sha256, size: file.size, params, metrics },
      aliases,
      description,
      ...(options.tags === undefined ? {} : { tags }),
      by: who(),
    }
  }

  /**
   * Records a version whose evidence a remote client gathered (the team
   * server's registration), linked to the experiment of that name and its file
   * of that sha256 when this database holds them. Inside the caller's write.
   */
  recordRemote(r: RemoteRegistration): ModelVersion {
    const model = checkModelName(r.name)
    const aliases = checkAliases(r.aliases)
    const description = checkDescription(r.description)
    const tags = r.tags === undefined ? undefined : checkTags(r.tags)
    const expId = new ExperimentRows(this.host.sqlite).liveId(r.evidence.exp) ?? null
    const fileId = expId === null ? null : (newestOfSha(this.files.ofExperiment(expId, null), r.evidence.sha256)?.id ?? null)
    const version = this.host.write(() => this.insert(model, r.evidence, { aliases, description, tags, by: r.by, experimentId: expId, fileId }))
    return this.get(`${model}/${version}`)
  }

  /** Checks a registration and finds (and hashes) its file; reads only. */
  private prepare(name: string, options: RegisterModelOptions) {
    const model = checkModelName(name)
    if (options === null || typeof options !== 'object') throw new ValidationError('registerModel needs options: { exp, file } or { best }', 'options')
    const aliases = checkAliases(options.aliases)
    const description = checkDescription(options.description)
    const tags = checkTags(options.tags)
    const exp = this.sourceExperiment(options)
    const expId = this.host.experimentId(exp)
    const file = this.findFile(exp, expId, options.file)
    const problem = fileProblem(file)
    if (problem === 'missing')
      throw new NotFoundError(`file ${file.path} of experiment "${exp}" no longer exists; a version must point at a file on disk`, 'file', file.path)
    if (problem === 'changed')
      throw new ValidationError(
        `file ${file.path} changed since experiment "${exp}" recorded it; record the file again (mldb file) before registering it`,
        'file',
      )
    // Hash outside the transaction: model weights take seconds to read.
    const sha256 = file.sha256 ?? sha256File(file.path)
    return { model, aliases, description, tags, exp, expId, file, sha256 }
  }

  /** The experiment's params and series summaries: the evidence a version keeps. */
  private evidence(expId: number): { params: Record<string, Json>; metrics: ModelMetric[] } {
    const params: Record<string, Json> = {}
    for (const [k, text] of this.params.params(expId)) params[k] = JSON.parse(text) as Json
    const metrics: ModelMetric[] = this.series.summaries(expId).map((r) => {
      const s = seriesFromRow(r)
      return { name: s.name, split: s.split, count: s.count, lastStep: s.lastStep, last: s.last, min: s.min, max: s.max }
    })
    return { params, metrics }
  }

  /** Inside a write: creates the model when new, takes the next number, inserts the version and points its aliases. */
  private insert(
    model: string,
    ev: VersionEvidence,
    o: { aliases: string[]; description: string; tags: Record<string, string> | undefined; by: string; experimentId: number | null; fileId: number | null },
  ): number {
    const now = Date.now()
    const existing = this.rows.model(model)
    let modelId: number
    if (existing) {
      modelId = existing.id
      if (o.tags !== undefined) this.rows.updateModel(modelId, existing.description, JSON.stringify({ ...parseTags(existing.tags), ...o.tags }), now)
    } else {
      modelId = this.rows.insertModel(model, o.description, JSON.stringify(o.tags ?? {}), now)
    }
    const v = this.rows.nextVersion(modelId, now)
    this.rows.insertVersion(modelId, v, newVersion(ev, o, now))
    for (const a of o.aliases) this.rows.setAlias(modelId, a, v, now, o.by)
    return v
  }

  /** The experiment a registration takes its file from. */
  private sourceExperiment(options: RegisterModelOptions): string {
    if (options.best !== undefined) {
      if (options.exp !== undefined) throw new ValidationError('give either exp or best, not both', 'best')
      if (typeof options.best !== 'string' || options.best === '') throw new ValidationError("best must name a series such as 'valid/loss'", 'best')
      const goal = options.goal
      if (goal !== undefined && goal !== 'min' && goal !== 'max') throw new ValidationError(`goal must be 'min' or 'max', got ${JSON.stringify(goal)}`, 'goal')
      const best = this.host.bestExperiment(options.best, goal, { where: options.where, project: options.project })
      if (best === undefined)
        throw new NotFoundError(
          `no experiment${options.where || options.project ? ' matching the filter' : ''} has a value in "${options.best}"`,
          'experiment',
          options.best,
        )
      return best
    }
    if (options.where !== undefined || options.goal !== undefined) throw new ValidationError('where and goal go with best; pass best as well', 'best')
    if (typeof options.exp !== 'string' || options.exp === '') throw new ValidationError('registerModel needs { exp, file } or { best: series }', 'exp')
    return options.exp
  }

  /** The recorded file a registration names: by id, by path, or by a unique path ending; else the last `model` file. */
  private findFile(exp: string, expId: number, file: string | number | undefined): FileRow {
    const all = this.files.ofExperiment(expId, null)
    const hint = `record it first with db.addFile(exp, path, { kind: 'model' }) or \`mldb file ${exp} PATH --kind model\``
    if (file === undefined) {
      const model = all.filter((f) => f.kind === 'model').at(-1)
      if (!model) throw new NotFoundError(`experiment "${exp}" has no file of kind model; name the file, or ${hint}`, 'file', exp)
      return model
    }
    if (typeof file === 'number') {
      const byId = all.find((f) => f.id === file)
      if (!byId)
        throw new NotFoundError(`experiment "${exp}" has no file record with id ${file}; see its files with \`mldb show ${exp}\``, 'file', String(file))
      return byId
    }
    if (typeof file !== 'string' || file === '') throw new ValidationError('file must be a path or a file record id', 'file')
    const candidates = new Set([resolve(file)])
    try {
      // recorded paths are real paths (symlinks resolved), as addFile stores them
      candidates.add(realpathSync(resolve(file)))
    } catch {
      // not on disk here: match by the recorded path only
    }
    let matches = all.filter((f) => candidates.has(f.path))
    if (matches.length === 0) {
      const tail = `/${file.replace(/^(\.\/)+/, '')}`
      matches = all.filter((f) => f.path.endsWith(tail))
    }
    const paths = [...new Set(matches.map((f) => f.path))]
    if (paths.length === 0) throw new NotFoundError(`experiment "${exp}" has no recorded file "${file}"; ${hint}`, 'file', file)
    if (paths.length > 1)
      throw new ValidationError(`"${file}" matches ${paths.length} files of "${exp}" (${paths.slice(0, 3).join(', ')}); give the full path`, 'file')
    return matches.at(-1) as FileRow
  }

  /** The model row for a name, or NotFoundError. */
  private model(name: string): ModelRow {
    this.host.assertOpen()
    const m = this.rows.model(name)
    if (!m) throw new NotFoundError(`no registered model named "${name}" in ${this.host.path}; see them with \`mldb model ls\``, 'model', name)
    return m
  }

  /** A version by 'name@alias', 'name/3' or 'name' (the latest). */
  get(ref: string): ModelVersion {
    const r = parseModelRef(ref)
    const m = this.model(r.name)
    let version = r.version
    if (r.alias !== undefined) {
      version = this.rows.alias(m.id, r.alias)
      if (version === undefined)
        throw new NotFoundError(
          `model "${m.name}" has no alias "${r.alias}"; see its aliases with \`mldb model show ${m.name}\``,
          'alias',
          `${m.name}@${r.alias}`,
        )
    }
    version ??= m.latest ?? undefined
    if (version === undefined) throw new NotFoundError(`model "${m.name}" has no versions; register one with \`mldb model register\``, 'version', m.name)
    const row = this.rows.version(m.id, version)
    if (!row)
      throw new NotFoundError(
        `model "${m.name}" has no version ${version}; see its versions with \`mldb model show ${m.name}\``,
        'version',
        `${m.name}/${version}`,
      )
    return this.toVersion(row, this.rows.aliases(m.id))
  }

  /** Points an alias at an existing version; recorded in the history. */
  setAlias(name: string, alias: string, version: number, by: string = who()): void {
    const n = checkModelName(name)
    const a = checkAlias(alias)
    const v = checkVersion(version)
    this.host.write(() => {
      const m = this.model(n)
      if (!this.rows.version(m.id, v))
        throw new NotFoundError(`model "${n}" has no version ${v}; see its versions with \`mldb model show ${n}\``, 'version', `${n}/${v}`)
      this.rows.setAlias(m.id, a, v, Date.now(), by)
    })
  }

  /** Removes an alias; recorded in the history. */
  deleteAlias(name: string, alias: string, by: string = who()): void {
    const n = checkModelName(name)
    const a = checkAlias(alias)
    this.host.write(() => {
      const m = this.model(n)
      if (!this.rows.deleteAlias(m.id, a, Date.now(), by))
        throw new NotFoundError(`model "${n}" has no alias "${a}"; see its aliases with \`mldb model show ${n}\``, 'alias', `${n}@${a}`)
    })
  }

  /** Sets a model's description and/or tags (tags are merged). */
  update(name: string, options: { description?: string; tags?: Record<string, string> }): RegisteredModel {
    const n = checkModelName(name)
    const tags = checkTags(options.tags)
    const description = options.description === undefined ? undefined : checkDescription(options.description)
    this.host.write(() => {
      const m = this.model(n)
      this.rows.updateModel(m.id, description ?? m.description, JSON.stringify({ ...parseTags(m.tags), ...tags }), Date.now())
    })
    return this.toModel(this.model(n))
  }

  /** Every model, by name. */
  list(): RegisteredModel[] {
    this.host.assertOpen()
    return this.rows.models().map((m) => this.toModel(m))
  }

  /** The versions of one model (or of every model), oldest first. */
  versions(name?: string): ModelVersion[] {
    this.host.assertOpen()
    const m = name === undefined ? undefined : this.model(checkModelName(name))
    return this.withAliases(this.rows.versions(m?.id ?? null))
  }

  /** The versions registered from one live experiment. */
  versionsOfExperiment(exp: string): ModelVersion[] {
    return this.withAliases(this.rows.versionsOfExperiment(this.host.experimentId(exp)))
  }

  /** Every alias move of a model, oldest first. */
  history(name: string): AliasChange[] {
    const m = this.model(checkModelName(name))
    return this.rows.history(m.id).map((h) => ({ alias: h.alias, from: h.from_version, to: h.to_version, time: h.time, who: h.who }))
  }

  /** Re-hashes a version's file: ok, missing or changed. */
  verify(ref: string): ModelCheck {
    return check(this.get(ref))
  }

  /** Re-hashes the files of every version (of one model, or all). */
  verifyAll(name?: string): ModelCheck[] {
    return this.versions(name).map(check)
  }

  private withAliases(rows: VersionRow[]): ModelVersion[] {
    const byModel = new Map<string, [string, number][]>()
    return rows.map((r) => {
      let aliases = byModel.get(r.name)
      if (!aliases) {
        aliases = this.rows.aliases((this.rows.model(r.name) as ModelRow).id)
        byModel.set(r.name, aliases)
      }
      return this.toVersion(r, aliases)
    })
  }

  private toVersion(r: VersionRow, aliases: [string, number][]): ModelVersion {
    return toModelVersion(r, aliases)
  }

  private toModel(m: ModelRow): RegisteredModel {
    return toRegisteredModel(m, this.rows.aliases(m.id))
  }
}

/** The newest of an experiment's file records (in the order recorded) with that sha256: what a remotely registered version links to. */
export function newestOfSha<T extends { sha256: string | null }>(files: T[], sha256: string): T | undefined {
  return files.filter((f) => f.sha256 === sha256).at(-1)
}

/** The columns of registry/version-insert for a version's evidence (params and metrics as JSON text). Shared with the PostgreSQL store. */
export function newVersion(
  ev: VersionEvidence,
  o: { experimentId: number | null; fileId: number | null; description: string; by: string },
  now: number,
): NewVersion {
  return {
    experiment_id: o.experimentId,
    file_id: o.fileId,
    exp_name: ev.exp,
    path: ev.path,
    sha256: ev.sha256,
    size: ev.size,
    params: JSON.stringify(ev.params),
    metrics: toJson(ev.metrics),
    description: o.description,
    registered_at: now,
    registered_by: o.by,
  }
}

/** A version row as the API returns it; `aliases` are the model's [alias, version] pairs. Shared with the PostgreSQL store. */
export function toModelVersion(r: VersionRow, aliases: [string, number][]): ModelVersion {
  const metrics: Record<string, ModelMetric> = {}
  for (const m of parseJsonNumbers(r.metrics) as ModelMetric[]) metrics[m.split ? `${m.split}/${m.name}` : m.name] = m
  return {
    name: r.name,
    version: r.version,
    aliases: aliases.filter(([, v]) => v === r.version).map(([a]) => a),
    path: r.path,
    sha256: r.sha256,
    size: r.size,
    exp: r.exp_name,
    expExists: r.experiment_id !== null,
    fileId: r.file_id,
    params: JSON.parse(r.params) as Record<string, Json>,
    metrics,
    description: r.description,
    registeredAt: r.registered_at,
    registeredBy: r.registered_by,
  }
}

/** A model row as the API returns it. Shared with the PostgreSQL store. */
export function toRegisteredModel(m: ModelRow, aliases: [string, number][]): RegisteredModel {
  return {
    name: m.name,
    description: m.description,
    tags: parseTags(m.tags),
    latestVersion: m.latest,
    versionCount: m.version_count,
    aliases: Object.fromEntries(aliases),
    createdAt: m.created_at,
    updatedAt: m.updated_at,
  }
}

export function parseTags(text: string): Record<string, string> {
  return JSON.parse(text) as Record<string, string>
}

/** Re-hashes a version's file where its path says: ok, missing or changed. */
export function check(v: ModelVersion): ModelCheck {
  let state: ModelCheck['state'] = 'ok'
  try {
    if (!statSync(v.path).isFile()) state = 'missing'
    else if (sha256File(v.path) !== v.sha256) state = 'changed'
  } catch {
    state = 'missing'
  }
  return { ...v, state }
}
