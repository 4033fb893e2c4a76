import type pg from 'pg'
import { NotFoundError, ValidationError } from '../../errors.js'
import { sql } from '../../named-sql.js'
import { parseSeriesKey } from '../../query/filter.js'
import { parseSweepConfig, type SweepConfig } from '../../sweep/config.js'
import { type PruneContext, shouldPrune } from '../../sweep/pruners.js'
import { nestParams } from '../../sweep/space.js'
import { planTrial, type SweepSummary, summarize, type TrialState, trialInfos } from '../../sweep/trial-logic.js'
import type { ClaimedTrial, RemoteTrialOrigin, SweepStore, SweepView, TrialEnd, WriteId, WriteResult } from '../store.js'
import { LOST_NOTE, type SweepRow } from '../sweep-rows.js'
import { lockExperiments } from './pg-locks.js'
import { pgNamed } from './pg-named.js'
import type { PgAccess } from './pg-registry.js'

type Q = pg.Pool | pg.PoolClient

async function rows<T>(c: Q, text: string, params: unknown[] = []): Promise<T[]> {
  return (await c.query(text, params)).rows as T[]
}

/** The rows of a named statement of sql/ (pgNamed). */
async function named<T>(c: Q, name: string, values: Record<string, unknown>, suffix = ''): Promise<T[]> {
  return (await c.query(pgNamed(name, values, suffix))).rows as T[]
}

async function sweepRow(c: Q, name: string, lock = false): Promise<SweepRow> {
  if (typeof name !== 'string' || name === '') throw new ValidationError('a sweep name must be a non-empty string', 'name')
  const [row] = await named<SweepRow>(c, 'sweeps/rows', { name }, lock ? ' FOR UPDATE OF s' : '')
  if (!row) throw new NotFoundError(`no sweep named "${name}" on the server; see the sweeps with \`mldb sweep ls\``, 'sweep', name)
  return row
}

function configOf(row: SweepRow): SweepConfig {
  return JSON.parse(row.config) as SweepConfig
}

/** The trials as sql/pg/sweeps/trials.sql reads them, LOST derived at `now`. */
async function trialRows(c: Q, row: SweepRow, now = Date.now()): Promise<TrialState[]> {
  const { name, split } = parseSeriesKey(configOf(row).metric.name)
  return named<TrialState>(c, 'sweeps/trials', { sweep: row.id, name, split, now })
}

async function trialExp(c: Q, row: SweepRow, number: number): Promise<{ id: number; name: string }> {
  if (!Number.isSafeInteger(number) || number < 0) throw new ValidationError(`a trial number is a whole number from 0, got ${number}`, 'number')
  const [t] = await named<{ id: number; name: string }>(c, 'sweeps/trial-experiment', { sweep: row.id, number })
  if (!t) throw new NotFoundError(`sweep "${row.name}" has no trial ${number}`, 'trial', `${row.name}/${number}`)
  return t
}

const ENDS = new Set(['COMPLETE', 'PRUNED', 'FAILED'])

/**
 * Sweeps on PostgreSQL: the claim locks the sweep's row, reads what the rules
 * of docs/schema.md ("Sweeps") need, and lets src/sweep/trial-logic.ts pick
 * the next params, the same code the SQLite claim runs.
 */
export class PgSweepStore implements SweepStore {
  constructor(private readonly pg: PgAccess) {}

  private async view(c: Q, row: SweepRow): Promise<SweepView> {
    const config = configOf(row)
    const trials = await trialRows(c, row)
    return { sweep: summarize(config, row, trials), config, trials: trialInfos(trials) }
  }

  async create(id: WriteId, raw: unknown): Promise<WriteResult & { sweep: SweepView }> {
    const config = parseSweepConfig(raw)
    const got = await this.pg.write(id, async (c) => {
      const now = Date.now()
      await c.query('INSERT INTO projects (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [config.project, now])
      const r = await c.query(
        `INSERT INTO sweeps (name, project_id, config, state, created_at, updated_at)
         SELECT $1, p.id, $2, 'RUNNING', $3, $3 FROM projects p WHERE p.name = $4 ON CONFLICT (name) DO NOTHING RETURNING id`,
        [config.name, JSON.stringify(config), now, config.project],
      )
      if (r.rowCount === 0) throw new ValidationError(`a sweep named "${config.name}" already exists; reopen it with getSweep or pick another name`, 'name')
    })
    return { duplicate: got.duplicate, sweep: await this.get(config.name) }
  }

  async claim(id: WriteId, name: string, origin: RemoteTrialOrigin): Promise<WriteResult & { trial: ClaimedTrial | null }> {
    const got = await this.pg.write(id, (c) => this.claimIn(c, name, origin))
    if (!got.duplicate) return { duplicate: false, trial: got.value ?? null }
    // A retry: the trial whose experiment carries this uuid (none: the first attempt found the sweep ended).
    return this.pg.read(async (c) => {
      const row = await sweepRow(c, name)
      const [t] = await named<{ number: number; exp: string; params: string }>(c, 'sweeps/by-uuid', { sweep: row.id, uuid: origin.uuid })
      return { duplicate: true, trial: t ? { number: t.number, exp: t.exp, params: nestParams(JSON.parse(t.params)) } : null }
    })
  }

  /** Inside the claim's transaction, the sweep's row locked: the same steps as Sweep.claim on SQLite. */
  private async claimIn(c: pg.PoolClient, name: string, origin: RemoteTrialOrigin): Promise<ClaimedTrial | null> {
    const row = await sweepRow(c, name, true)
    if (row.state !== 'RUNNING') return null
    const config = configOf(row)
    const now = Date.now()
    const lost = await named<{ number: number; experiment_id: number }>(c, 'sweeps/lost', { sweep: row.id, now })
    // their rows in id order before any other row of theirs (pg-locks.ts), as a trashed project's runs are
    await lockExperiments(
      c,
      lost.map((l) => l.experiment_id),
    )
    for (const l of lost) {
      await c.query(sql('experiments/set-status', 'postgres'), ['FAILED', now, false, true, l.experiment_id])
      await c.query(pgNamed('sweeps/add-note', { note: LOST_NOTE, now, id: l.experiment_id }))
      if (config.requeueLost) await c.query(pgNamed('sweeps/set-requeue', { requeue: 1, sweep: row.id, number: l.number }))
    }
    const [agg] = (await named<{ number: number; counted: number; grid: number }>(c, 'sweeps/claim-state', { sweep: row.id })) as [
      { number: number; counted: number; grid: number },
    ]
    const [pending] = config.requeueLost
      ? await named<{ number: number; params: string; grid_index: number | null }>(c, 'sweeps/pending-requeue', { sweep: row.id })
      : []
    const plan = planTrial(config, {
      number: agg.number,
      counted: agg.counted,
      nextGridIndex: agg.grid,
      pending,
      trials: config.method === 'bayes' ? await trialRows(c, row, now) : [],
    })
    if (!plan) return null
    if (plan.requeued !== undefined) await c.query(pgNamed('sweeps/set-requeue', { requeue: 2, sweep: row.id, number: plan.requeued }))
    const number = agg.number
    let exp = `${config.name}-${number}`
    if ((await rows(c, 'SELECT 1 FROM experiments WHERE name = $1', [exp])).length > 0) exp = `${exp}-${Math.random().toString(36).slice(2, 8)}`
    const [e] = (await rows<{ id: number }>(
      c,
      `INSERT INTO experiments (name, project_id, status, created_at, started_at, updated_at, heartbeat_at, host, pid)
       SELECT $1, p.id, 'TRAINING', $2, $2, $2, $2, $3, $4 FROM projects p WHERE p.name = $5 RETURNING id`,
      [exp, now, origin.host, origin.pid, config.project],
    )) as [{ id: number }]
    const params = nestParams(plan.params)
    for (const [k, v] of Object.entries(params))
      await c.query('INSERT INTO params (experiment_id, key, value) VALUES ($1, $2, $3)', [e.id, k, JSON.stringify(v)])
    const tags: [string, string][] = [
      ['mldb.sweep', config.name],
      ['mldb.trial', String(number)],
      ['mldb.uuid', origin.uuid],
    ]
    for (const [k, v] of tags) await c.query('INSERT INTO tags (experiment_id, key, value) VALUES ($1, $2, $3)', [e.id, k, v])
    await c.query(
      pgNamed('sweeps/trial-insert', { sweep: row.id, number, experiment_id: e.id, params: JSON.stringify(plan.params), grid_index: plan.gridIndex, now }),
    )
    return { number, exp, params }
  }

  async end(id: WriteId, name: string, number: number, end: TrialEnd): Promise<WriteResult> {
    if (!ENDS.has(end.status)) throw new ValidationError(`a trial ends COMPLETE, PRUNED or FAILED, got ${JSON.stringify(end.status)}`, 'status')
    const got = await this.pg.write(id, async (c) => {
      const row = await sweepRow(c, name)
      const e = await trialExp(c, row, number)
      // the trial's experiment before its trial row (pg-locks.ts), as a claim marking it LOST does
      await lockExperiments(c, [e.id])
      const now = Date.now()
      if (end.value !== undefined) {
        const v = end.value === null || Number.isNaN(end.value) ? null : end.value
        await c.query(pgNamed('sweeps/set-value', { value: v, sweep: row.id, number }))
      }
      await c.query(
        `UPDATE experiments SET status = $1, updated_at = $2, heartbeat_at = $2, ended_at = $2,
           notes = CASE WHEN $3::text IS NULL THEN notes WHEN notes = '' THEN $3 ELSE notes || E'\\n' || $3 END
         WHERE id = $4`,
        [end.status, now, end.note ?? null, e.id],
      )
    })
    return { duplicate: got.duplicate }
  }

  async heartbeat(name: string, number: number): Promise<void> {
    await this.pg.read(async (c) => {
      const e = await trialExp(c, await sweepRow(c, name), number)
      const now = Date.now()
      await c.query(pgNamed('experiments/heartbeat', { now, id: e.id }))
    })
  }

  async shouldPrune(name: string, number: number): Promise<boolean> {
    return this.pg.read(async (c) => {
      const row = await sweepRow(c, name)
      const config = configOf(row)
      if (!config.earlyTerminate) return false
      const e = await trialExp(c, row, number)
      const { name: series, split } = parseSeriesKey(config.metric.name)
      const own = (await named<{ step: number; value: number }>(c, 'sweeps/series-values', { experiment_id: e.id, name: series, split })).map(
        (r) => [r.step, r.value] as const,
      )
      const [{ n: completed }] = (await rows<{ n: number }>(
        c,
        "SELECT count(*) AS n FROM trials t JOIN experiments e ON e.id = t.experiment_id WHERE t.sweep_id = $1 AND e.status = 'COMPLETE'",
        [row.id],
      )) as [{ n: number }]
      // The pruner asks for what it needs synchronously: a first pass notes the steps, the second answers them.
      const valuesAt = new Map<number, number[]>()
      const bestUpTo = new Map<number, number[]>()
      const asked = (m: Map<number, number[]>, step: number): number[] => {
        if (!m.has(step)) m.set(step, [])
        return m.get(step) as number[]
      }
      const ctx = (): PruneContext => ({
        goal: config.metric.goal,
        own,
        completed: () => completed,
        valuesAt: (step) => asked(valuesAt, step),
        bestUpTo: (step) => asked(bestUpTo, step),
      })
      shouldPrune(config.earlyTerminate, ctx())
      for (const step of valuesAt.keys()) {
        const r = await named<{ v: number | null }>(c, 'sweeps/values-at', { sweep: row.id, name: series, split, step, status: 'COMPLETE' })
        valuesAt.set(
          step,
          r.map((x) => x.v).filter((v): v is number => v !== null),
        )
      }
      const max = config.metric.goal === 'minimize' ? 0 : 1
      for (const step of bestUpTo.keys()) {
        const r = await named<{ v: number | null }>(c, 'sweeps/best-up-to', { sweep: row.id, name: series, split, step, except: number, max })
        bestUpTo.set(
          step,
          r.map((x) => x.v).filter((v): v is number => v !== null),
        )
      }
      return shouldPrune(config.earlyTerminate, ctx())
    })
  }

  async stop(id: WriteId, name: string): Promise<WriteResult> {
    const got = await this.pg.write(id, async (c) => {
      const row = await sweepRow(c, name)
      await c.query(pgNamed('sweeps/set-state', { state: 'STOPPED', now: Date.now(), id: row.id }))
    })
    return { duplicate: got.duplicate }
  }

  async get(name: string): Promise<SweepView> {
    return this.pg.read(async (c) => this.view(c, await sweepRow(c, name)))
  }

  async list(): Promise<SweepSummary[]> {
    return this.pg.read(async (c) => {
      const all = await named<SweepRow>(c, 'sweeps/rows', { name: null })
      return Promise.all(all.map(async (r) => (await this.view(c, r)).sweep))
    })
  }
}
