// Writes the registry records of an `mldb export` file (src/api/registry-records.ts)
// into a database, inside the import's transaction and after its experiments and
// files, through the named SQL of sql/registry (RegistryRows). Idempotent: a
// version whose model and number are there with the same sha256 and registration
// time, an alias move already recorded, an alias already pointing there, are
// left as they are, so a second import doubles nothing.
import type { ModelAliasChangeRecord, ModelAliasRecord, ModelRecord, ModelVersionRecord } from '../api/registry-records.js'
import type { Sqlite } from '../store/connection.js'
import { ExperimentRows } from '../store/experiment-rows.js'
import { FileRows } from '../store/file-rows.js'
import { RegistryRows } from '../store/registry-rows.js'
import { newestOfSha, newVersion } from './registry.js'

/** The registry part of an export file, as read (names and numbers checked). */
export interface RegistryImportData {
  models: ModelRecord[]
  versions: ModelVersionRecord[]
  aliases: ModelAliasRecord[]
  changes: ModelAliasChangeRecord[]
}

/** What writing it did; `report` has one line per thing kept partly or left out. */
export interface RegistryImportResult {
  /** models created */
  models: number
  /** versions written */
  versions: number
  /** versions that were there already (same model, number, sha256 and registration time) */
  alreadyImported: number
  /** aliases of the file that point where the file says now and did not before */
  aliases: number
  /** aliases of the file that pointed there already */
  aliasesAlreadyThere: number
  /** versions and aliases not written, each with a line in `report` */
  leftOut: { versions: number; aliases: number }
  report: string[]
}

export const emptyRegistryImport = (): RegistryImportData => ({ models: [], versions: [], aliases: [], changes: [] })

/** Nothing written, nothing left out: a file without registry records. */
export const emptyRegistryResult = (): RegistryImportResult => ({
  models: 0,
  versions: 0,
  alreadyImported: 0,
  aliases: 0,
  aliasesAlreadyThere: 0,
  leftOut: { versions: 0, aliases: 0 },
  report: [],
})

/**
 * Writes models, versions (under their own numbers), alias moves (with their
 * time and who) and aliases. A version whose experiment or file record is in
 * neither the import nor the database is kept with its evidence, unlinked as
 * after a purge, and reported in one line. Call inside a write transaction.
 *
 * @example const r = writeRegistryImport(db.sqlite, data); for (const l of r.report) console.error(l)
 */
export function writeRegistryImport(sqlite: Sqlite, data: RegistryImportData, now = Date.now()): RegistryImportResult {
  const out = emptyRegistryResult()
  const rows = new RegistryRows(sqlite)
  const exps = new ExperimentRows(sqlite)
  const files = new FileRows(sqlite)
  const created = new Map<string, ModelRecord | undefined>()
  // where the file's aliases pointed before anything was written, to count what the import changed
  const before = data.aliases.map((a) => {
    const m = rows.model(a.model)
    return m ? rows.alias(m.id, a.alias) : undefined
  })
  const modelId = (name: string): number => {
    const row = rows.model(name)
    if (row) return row.id
    const m = data.models.find((x) => x.model === name)
    created.set(name, m)
    out.models++
    return rows.insertModel(name, m?.description ?? '', JSON.stringify(m?.tags ?? {}), m?.createdAt ?? now)
  }
  for (const m of data.models) modelId(m.model)
  const present = new Set<string>()
  const sorted = [...data.versions].sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : a.version - b.version))
  for (const v of sorted) {
    const label = `model "${v.model}" version ${v.version}`
    const id = modelId(v.model)
    const there = rows.version(id, v.version)
    if (there) {
      if (there.sha256 === v.sha256 && there.registered_at === v.registeredAt) {
        out.alreadyImported++
        present.add(`${v.model}\u0000${v.version}`)
      } else {
        out.leftOut.versions++
        out.report.push(`${label} left out: this database's model "${v.model}" has a version ${v.version} of another file (${there.path})`)
      }
      continue
    }
    if ((rows.model(v.model)?.last_version ?? 0) >= v.version) {
      out.leftOut.versions++
      out.report.push(`${label} left out: this database's model "${v.model}" already gave number ${v.version} (to a version since deleted)`)
      continue
    }
    const expId = exps.liveId(v.experiment) ?? null
    const own = expId === null ? [] : files.ofExperiment(expId, null)
    const file = own.filter((f) => f.path === v.path && (f.sha256 === null || f.sha256 === v.sha256)).at(-1) ?? newestOfSha(own, v.sha256)
    if (!file)
      out.report.push(
        `${label}: the file record of ${v.path} (experiment "${v.experiment}") is in neither the import nor this database; the version is kept with its evidence, unlinked`,
      )
    // number by number up to the version's own, as a registration takes them
    let n = 0
    while (n < v.version) n = rows.nextVersion(id, now)
    rows.insertVersion(
      id,
      v.version,
      newVersion(
        { exp: v.experiment, path: v.path, sha256: v.sha256, size: v.size, params: v.params, metrics: v.metrics },
        { experimentId: file ? expId : null, fileId: file?.id ?? null, description: v.description, by: v.registeredBy },
        v.registeredAt,
      ),
    )
    out.versions++
    present.add(`${v.model}\u0000${v.version}`)
  }
  // only versions of this import (written now or already there): never a different version under the same number
  const exists = (model: string, version: number) => present.has(`${model}\u0000${version}`)
  const changes = [...data.changes].sort((a, b) => a.time - b.time)
  for (const c of changes) {
    const id = modelId(c.model)
    const known = rows
      .history(id)
      .some((h) => h.alias === c.alias && h.from_version === c.from && h.to_version === c.to && h.time === c.time && h.who === c.who)
    // a move is replayed only from the state it was made in, so a model this file already had keeps its own aliases
    if (known || (rows.alias(id, c.alias) ?? null) !== c.from) continue
    if (c.to === null) rows.deleteAlias(id, c.alias, c.time, c.who)
    else if (exists(c.model, c.to)) rows.setAlias(id, c.alias, c.to, c.time, c.who)
  }
  for (const [i, a] of data.aliases.entries()) {
    const id = modelId(a.model)
    if (before[i] === a.version) out.aliasesAlreadyThere++
    else if (exists(a.model, a.version)) out.aliases++
    if (rows.alias(id, a.alias) === a.version) continue
    if (!exists(a.model, a.version)) {
      out.leftOut.aliases++
      out.report.push(`model "${a.model}" alias "${a.alias}" left out: its version ${a.version} was not imported`)
      continue
    }
    rows.setAlias(id, a.alias, a.version, created.get(a.model)?.updatedAt ?? now, 'mldb import')
  }
  // a model this import created keeps its own times (alias moves touched updated_at)
  for (const [name, m] of created) {
    const row = rows.model(name)
    if (m && row) rows.updateModel(row.id, row.description, row.tags, m.updatedAt)
  }
  return out
}
