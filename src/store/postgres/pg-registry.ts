import type pg from 'pg'
import { NotFoundError } from '../../errors.js'
import { sql } from '../../named-sql.js'
import { checkAlias, checkModelName, checkVersion, parseModelRef } from '../../registry/names.js'
import { checkAliases, checkDescription, checkTags, newestOfSha, newVersion, toModelVersion, toRegisteredModel } from '../../registry/registry.js'
import type { AliasChange, ModelVersion, RegisteredModel, RemoteRegistration } from '../../registry/types.js'
import type { ModelRow, VersionRow } from '../registry-rows.js'
import type { RegistryStore, WriteId, WriteResult } from '../store.js'
import { pgNamed } from './pg-named.js'

/** What the PostgreSQL registry and sweeps need of PostgresStore: its claimed-write transaction and its mapped-error reads. */
export interface PgAccess {
  /** one transaction that claims the write id first; a claimed id is a retry and fn is not run */
  write<T>(id: WriteId, fn: (c: pg.PoolClient) => Promise<T>): Promise<WriteResult & { value: T | undefined }>
  /** a read on the pool, errors mapped as every read of the store */
  read<T>(fn: (c: pg.Pool) => Promise<T>): Promise<T>
}

type Q = pg.Pool | pg.PoolClient

async function rows<T>(c: Q, text: string, params: unknown[] = []): Promise<T[]> {
  return (await c.query(text, params)).rows as T[]
}

/** The rows of a named statement of sql/ (pgNamed). */
async function named<T>(c: Q, name: string, values: Record<string, unknown>, suffix = ''): Promise<T[]> {
  return (await c.query(pgNamed(name, values, suffix))).rows as T[]
}

async function modelRow(c: Q, name: string, lock = false): Promise<ModelRow> {
  const [m] = await named<ModelRow>(c, 'registry/models', { name }, lock ? ' FOR UPDATE OF m' : '')
  if (!m) throw new NotFoundError(`no registered model named "${name}" on the server; see them with \`mldb model ls\``, 'model', name)
  return m
}

async function aliasesOf(c: Q, modelId: number): Promise<[string, number][]> {
  return (await named<{ alias: string; version: number }>(c, 'registry/aliases', { model_id: modelId })).map((r) => [r.alias, r.version])
}

/** Points an alias (or removes it: null) and records the move; a no-op when nothing changes. Returns false when there was nothing to remove. */
async function moveAlias(c: pg.PoolClient, modelId: number, alias: string, to: number | null, by: string): Promise<boolean> {
  const now = Date.now()
  const [cur] = await named<{ version: number }>(c, 'registry/alias', { model_id: modelId, alias })
  const from = cur?.version ?? null
  if (from === to) return to !== null
  if (to === null) await c.query(pgNamed('registry/alias-delete', { model_id: modelId, alias }))
  else await c.query(pgNamed('registry/alias-set', { model_id: modelId, alias, version: to, now }))
  await c.query(pgNamed('registry/alias-history-add', { model_id: modelId, alias, from_version: from, to_version: to, now, who: by }))
  await c.query(pgNamed('registry/model-touch', { now, id: modelId }))
  return true
}

/**
 * The model registry on PostgreSQL: the named SQL of sql/registry/ (the
 * statements both SQLite clients run), with the names checked and rows turned
 * into the API's shapes by src/registry (the same code as on SQLite). A model's
 * row is locked while its next version number is taken or an alias moves; that
 * lock, and creating a model that two writers may add at once, are
 * PostgreSQL's own (SQLite's BEGIN IMMEDIATE serialises writers instead).
 */
export class PgRegistryStore implements RegistryStore {
  constructor(private readonly pg: PgAccess) {}

  async register(id: WriteId, r: RemoteRegistration): Promise<WriteResult & { version: ModelVersion }> {
    const name = checkModelName(r.name)
    const aliases = checkAliases(r.aliases)
    const description = checkDescription(r.description)
    const tags = r.tags === undefined ? undefined : checkTags(r.tags)
    const ev = r.evidence
    const got = await this.pg.write(id, async (c) => {
      const now = Date.now()
      await c.query(
        'INSERT INTO registered_models (name, description, tags, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING',
        [name, description, JSON.stringify(tags ?? {}), now],
      )
      const m = await modelRow(c, name, true)
      if (tags !== undefined)
        await c.query(
          pgNamed('registry/model-update', { description: m.description, tags: JSON.stringify({ ...(JSON.parse(m.tags) as object), ...tags }), now, id: m.id }),
        )
      const [{ last_version: v }] = (await named<{ last_version: number }>(c, 'registry/next-version', { now, id: m.id })) as [{ last_version: number }]
      // linked as on SQLite (Registry.recordRemote): the live experiment of that name, its newest file of that sha256
      const [exp] = await rows<{ id: number }>(c, sql('experiments/live-id', 'postgres'), [ev.exp])
      const file = exp
        ? newestOfSha(await rows<{ id: number; sha256: string | null }>(c, sql('files/of-experiment', 'postgres'), [exp.id, null]), ev.sha256)
        : undefined
      const columns = newVersion(ev, { experimentId: exp?.id ?? null, fileId: file?.id ?? null, description, by: r.by }, now)
      await c.query(pgNamed('registry/version-insert', { ...columns, model_id: m.id, version: v }))
      for (const a of aliases) await moveAlias(c, m.id, a, v, r.by)
      return v
    })
    if (got.value !== undefined) return { duplicate: false, version: await this.get(`${name}/${got.value}`) }
    // A retry answers what the first attempt registered: the newest version of that file from that experiment.
    const version = [...(await this.versions(name))].reverse().find((v) => v.sha256 === ev.sha256 && v.exp === ev.exp && v.registeredBy === r.by)
    if (!version) throw new NotFoundError(`model "${name}" has no version of ${ev.sha256}`, 'version', name)
    return { duplicate: true, version }
  }

  async setAlias(id: WriteId, name: string, alias: string, version: number | null, by: string): Promise<WriteResult> {
    const n = checkModelName(name)
    const a = checkAlias(alias)
    const v = version === null ? null : checkVersion(version)
    const got = await this.pg.write(id, async (c) => {
      const m = await modelRow(c, n, true)
      if (v !== null && (await named(c, 'registry/versions', { model_id: m.id, version: v, experiment_id: null })).length === 0)
        throw new NotFoundError(`model "${n}" has no version ${v}; see its versions with \`mldb model show ${n}\``, 'version', `${n}/${v}`)
      if (!(await moveAlias(c, m.id, a, v, by)))
        throw new NotFoundError(`model "${n}" has no alias "${a}"; see its aliases with \`mldb model show ${n}\``, 'alias', `${n}@${a}`)
    })
    return { duplicate: got.duplicate }
  }

  async get(ref: string): Promise<ModelVersion> {
    const r = parseModelRef(ref)
    return this.pg.read(async (c) => {
      const m = await modelRow(c, r.name)
      const aliases = await aliasesOf(c, m.id)
      let version = r.version
      if (r.alias !== undefined) {
        version = aliases.find(([a]) => a === r.alias)?.[1]
        if (version === undefined) throw new NotFoundError(`model "${m.name}" has no alias "${r.alias}"`, 'alias', `${m.name}@${r.alias}`)
      }
      version ??= m.latest ?? undefined
      if (version === undefined) throw new NotFoundError(`model "${m.name}" has no versions`, 'version', m.name)
      const [row] = await named<VersionRow>(c, 'registry/versions', { model_id: m.id, version, experiment_id: null })
      if (!row) throw new NotFoundError(`model "${m.name}" has no version ${version}`, 'version', `${m.name}/${version}`)
      return toModelVersion(row, aliases)
    })
  }

  async list(): Promise<RegisteredModel[]> {
    return this.pg.read(async (c) => {
      const models = await named<ModelRow>(c, 'registry/models', { name: null })
      return Promise.all(models.map(async (m) => toRegisteredModel(m, await aliasesOf(c, m.id))))
    })
  }

  async versions(name: string): Promise<ModelVersion[]> {
    const n = checkModelName(name)
    return this.pg.read(async (c) => {
      const m = await modelRow(c, n)
      const aliases = await aliasesOf(c, m.id)
      return (await named<VersionRow>(c, 'registry/versions', { model_id: m.id, version: null, experiment_id: null })).map((r) => toModelVersion(r, aliases))
    })
  }

  async history(name: string): Promise<AliasChange[]> {
    const n = checkModelName(name)
    return this.pg.read(async (c) => {
      const m = await modelRow(c, n)
      const h = await named<{ alias: string; from_version: number | null; to_version: number | null; time: number; who: string }>(c, 'registry/history', {
        model_id: m.id,
      })
      return h.map((x) => ({ alias: x.alias, from: x.from_version, to: x.to_version, time: x.time, who: x.who }))
    })
  }
}
