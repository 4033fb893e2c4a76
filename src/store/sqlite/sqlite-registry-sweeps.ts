import type { Database } from '../../api/database.js'
import { NotFoundError, ValidationError } from '../../errors.js'
import { Registry } from '../../registry/registry.js'
import type { AliasChange, ModelVersion, RegisteredModel, RemoteRegistration } from '../../registry/types.js'
import { createSweep, getSweep, listSweeps, type Sweep, Trial } from '../../sweep/sweep.js'
import type { SweepSummary } from '../../sweep/trial-logic.js'
import { ExperimentRows } from '../experiment-rows.js'
import type { ClaimedTrial, RegistryStore, RemoteTrialOrigin, SweepStore, SweepView, TrialEnd, WriteId, WriteResult } from '../store.js'
import { SweepRows } from '../sweep-rows.js'

/**
 * The team server's registry and sweeps on a SQLite file: the local Registry
 * and Sweep code (src/registry, src/sweep) run inside the transaction that
 * claims the write's id, so the rules are the ones every local client keeps.
 */

/** Runs fn in one BEGIN IMMEDIATE with the claim of the write id; a claimed id is a retry (fn not run). */
function once<T>(db: Database, id: WriteId, fn: () => T): { duplicate: boolean; value: T | undefined } {
  return db.sqlite
    .transaction(() => {
      const claimed = db.sqlite.prepare('INSERT OR IGNORE INTO server_writes (client, seq, time) VALUES (?, ?, ?)').run(id.client, id.seq, Date.now())
      if (claimed.changes === 0) return { duplicate: true, value: undefined }
      return { duplicate: false, value: fn() }
    })
    .immediate()
}

/** The registry over the server's Database; writes join the transaction `once` opened. */
export class SqliteRegistryStore implements RegistryStore {
  private readonly reg: Registry

  constructor(private readonly db: Database) {
    const rows = new ExperimentRows(db.sqlite)
    this.reg = new Registry({
      sqlite: db.sqlite,
      path: db.path,
      assertOpen: () => {},
      write: (fn) => db.sqlite.transaction(fn).immediate(),
      experimentId: (name) => {
        const id = rows.liveId(name)
        if (id === undefined) throw new NotFoundError(`no experiment named "${name}" on the server`, 'experiment', name)
        return id
      },
      bestExperiment: () => undefined,
    })
  }

  async register(id: WriteId, r: RemoteRegistration): Promise<WriteResult & { version: ModelVersion }> {
    const got = once(this.db, id, () => this.reg.recordRemote(r))
    // A retry answers what the first attempt registered: the newest version of that file from that experiment.
    const version =
      got.value ?? [...this.reg.versions(r.name)].reverse().find((v) => v.sha256 === r.evidence.sha256 && v.exp === r.evidence.exp && v.registeredBy === r.by)
    if (!version) throw new NotFoundError(`model "${r.name}" has no version of ${r.evidence.sha256}`, 'version', r.name)
    return { duplicate: got.duplicate, version }
  }

  async setAlias(id: WriteId, name: string, alias: string, version: number | null, by: string): Promise<WriteResult> {
    const got = once(this.db, id, () => (version === null ? this.reg.deleteAlias(name, alias, by) : this.reg.setAlias(name, alias, version, by)))
    return { duplicate: got.duplicate }
  }

  async get(ref: string): Promise<ModelVersion> {
    return this.reg.get(ref)
  }

  async list(): Promise<RegisteredModel[]> {
    return this.reg.list()
  }

  async versions(name: string): Promise<ModelVersion[]> {
    return this.reg.versions(name)
  }

  async history(name: string): Promise<AliasChange[]> {
    return this.reg.history(name)
  }
}

const ENDS = new Set(['COMPLETE', 'PRUNED', 'FAILED'])

/** A claimed trial of a sweep by number, or NotFoundError. */
function trialOf(sweep: Sweep, number: number): Trial {
  const t = sweep.trials().find((x) => x.number === number)
  if (!t) throw new NotFoundError(`sweep "${sweep.name}" has no trial ${number}`, 'trial', `${sweep.name}/${number}`)
  return new Trial(sweep, t.number, t.exp, t.params)
}

/** Sweeps over the server's Database: the local Sweep's claim, run for a remote agent. */
export class SqliteSweepStore implements SweepStore {
  constructor(private readonly db: Database) {}

  private view(s: Sweep): SweepView {
    return { sweep: s.summary(), config: s.config, trials: s.trials() }
  }

  async create(id: WriteId, config: unknown): Promise<WriteResult & { sweep: SweepView }> {
    const got = once(this.db, id, () => createSweep(this.db, config))
    const name = (config as { name?: unknown } | null)?.name
    return { duplicate: got.duplicate, sweep: this.view(got.value ?? getSweep(this.db, String(name))) }
  }

  async claim(id: WriteId, name: string, origin: RemoteTrialOrigin): Promise<WriteResult & { trial: ClaimedTrial | null }> {
    const sweep = getSweep(this.db, name)
    const got = once(this.db, id, () => sweep.claimFor({ host: origin.host, pid: origin.pid, tags: { 'mldb.uuid': origin.uuid } }))
    if (!got.duplicate) return { duplicate: false, trial: got.value ?? null }
    // A retry: the trial whose experiment carries this uuid (none: the first attempt found the sweep ended).
    const exp = new SweepRows(this.db.sqlite).byUuid(sweep.id, origin.uuid)?.exp
    const t = exp === undefined ? undefined : sweep.trials().find((x) => x.exp === exp)
    return { duplicate: true, trial: t ? { number: t.number, exp: t.exp, params: t.params } : null }
  }

  async end(id: WriteId, name: string, number: number, end: TrialEnd): Promise<WriteResult> {
    if (!ENDS.has(end.status)) throw new ValidationError(`a trial ends COMPLETE, PRUNED or FAILED, got ${JSON.stringify(end.status)}`, 'status')
    const sweep = getSweep(this.db, name)
    const got = once(this.db, id, () => sweep.end(trialOf(sweep, number), end.status, end.value, end.note))
    return { duplicate: got.duplicate }
  }

  async heartbeat(name: string, number: number): Promise<void> {
    this.db.heartbeat(trialOf(getSweep(this.db, name), number).exp)
  }

  async shouldPrune(name: string, number: number): Promise<boolean> {
    const sweep = getSweep(this.db, name)
    return sweep.pruneDecision(trialOf(sweep, number))
  }

  async stop(id: WriteId, name: string): Promise<WriteResult> {
    const sweep = getSweep(this.db, name)
    return { duplicate: once(this.db, id, () => sweep.stop()).duplicate }
  }

  async get(name: string): Promise<SweepView> {
    return this.view(getSweep(this.db, name))
  }

  async list(): Promise<SweepSummary[]> {
    return listSweeps(this.db)
  }
}
