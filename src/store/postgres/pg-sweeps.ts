import type pg from 'pg'
import { NotFoundError, ValidationError } from '../../errors.js'
import { sql } from '../../named-sql.js'
import { bindNow, parseSeriesKey } from '../../query/filter.js'
import { parseSweepConfig, type SweepConfig } from '../../sweep/config.js'
import { type PruneContext, shouldPrune } from '../../sweep/pruners.js'
import { nestParams } from '../../sweep/space.js'
import { planTrial, type SweepSummary, summarize, type TrialState, trialInfos } from '../../sweep/trial-logic.js'
import type { ClaimedTrial, RemoteTrialOrigin, SweepStore, SweepView, TrialEnd, WriteId, WriteResult } from '../store.js'
import type { PgAccess } from './pg-registry.js'

type Q = pg.Pool | pg.PoolClient

interface SweepRow {
  id: number
  name: string
  project: string
  config: string
  state: string
  created_at: number
}

async function rows<T>(c: Q, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await c.query(sql, params)).rows as T[]
}

const SWEEP = 'SELECT s.id, s.name, p.name AS project, s.config, s.state, s.created_at FROM sweeps s JOIN projects p ON p.id = s.project_id'

async function sweepRow(c: Q, name: string, lock = false): Promise<SweepRow> {
  if (typeof name !== 'string' || name === '') throw new ValidationError('a sweep name must be a non-empty string', 'name')
  const [row] = await rows<SweepRow>(c, `${SWEEP} WHERE s.name = $1${lock ? ' FOR UPDATE OF s' : ''}`, [name])
  if (!row) throw new NotFoundError(`no sweep named "${name}" on the server; see the sweeps with \`mldb sweep ls\``, 'sweep', name)
  return row
}

function configOf(row: SweepRow): SweepConfig {
  return JSON.parse(row.config) as SweepConfig
}

/** The trials as sql/pg/sweeps/trials.sql reads them, LOST derived at `now`. */
async function trialRows(c: Q, row: SweepRow, now = Date.now()): Promise<TrialState[]> {
  const { name, split } = parseSeriesKey(configOf(row).metric.name)
  return rows<TrialState>(c, bindNow(sql('sweeps/trials', 'postgres'), now), [row.id, name, split])
}

async function trialExp(c: Q, row: SweepRow, number: number): Promise<{ id: number; name: string }> {
  if (!Number.isSafeInteger(number) || number < 0) throw new ValidationError(`a trial number is a whole number from 0, got ${number}`, 'number')
  const [t] = await rows<{ id: number; name: string }>(
    c,
    'SELECT e.id, e.name FROM trials t JOIN experiments e ON e.id = t.experiment_id WHERE t.sweep_id = $1 AND t.number = $2',
    [row.id, number],
  )
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
      const [t] = await rows<{ number: number; exp: string; params: string }>(
        c,
        `SELECT t.number, e.name AS exp, t.params FROM trials t JOIN sweeps s ON s.id = t.sweep_id JOIN experiments e ON e.id = t.experiment_id
         JOIN tags g ON g.experiment_id = e.id AND g.key = 'mldb.uuid' WHERE s.name = $1 AND g.value = $2`,
        [name, origin.uuid],
      )
      return { duplicate: true, trial: t ? { number: t.number, exp: t.exp, params: nestParams(JSON.parse(t.params)) } : null }
    })
  }

  /** Inside the claim's transaction, the sweep's row locked: the same steps as Sweep.claim on SQLite. */
  private async claimIn(c: pg.PoolClient, name: string, origin: RemoteTrialOrigin): Promise<ClaimedTrial | null> {
    const row = await sweepRow(c, name, true)
    if (row.state !== 'RUNNING') return null
    const config = configOf(row)
    const now = Date.now()
    const lost = await rows<{ number: number; experiment_id: number }>(c, bindNow(sql('sweeps/lost', 'postgres'), now), [row.id])
    for (const l of lost) {
      await c.query("UPDATE experiments SET status = 'FAILED', ended_at = $1, updated_at = $1, notes = $2 WHERE id = $3", [
        now,
        'LOST: its worker stopped beating; marked FAILED by the sweep',
        l.experiment_id,
      ])
      if (config.requeueLost) await c.query('UPDATE trials SET requeue = 1 WHERE sweep_id = $1 AND number = $2', [row.id, l.number])
    }
    const [agg] = (await rows<{ number: number; counted: number; grid: number }>(
      c,
      `SELECT coalesce(max(number) + 1, 0) AS number, count(*) FILTER (WHERE requeue = 0) AS counted, coalesce(max(grid_index) + 1, 0) AS grid
       FROM trials WHERE sweep_id = $1`,
      [row.id],
    )) as [{ number: number; counted: number; grid: number }]
    const [pending] = config.requeueLost
      ? await rows<{ number: number; params: string; grid_index: number | null }>(
          c,
          'SELECT number, params, grid_index FROM trials WHERE sweep_id = $1 AND requeue = 1 ORDER BY number LIMIT 1',
          [row.id],
        )
      : []
    const plan = planTrial(config, {
      number: agg.number,
      counted: agg.counted,
      nextGridIndex: agg.grid,
      pending,
      trials: config.method === 'bayes' ? await trialRows(c, row, now) : [],
    })
    if (!plan) return null
    if (plan.requeued !== undefined) await c.query('UPDATE trials SET requeue = 2 WHERE sweep_id = $1 AND number = $2', [row.id, plan.requeued])
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
    await c.query('INSERT INTO trials (sweep_id, number, experiment_id, params, grid_index, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      row.id,
      number,
      e.id,
      JSON.stringify(plan.params),
      plan.gridIndex,
      now,
    ])
    return { number, exp, params }
  }

  async end(id: WriteId, name: string, number: number, end: TrialEnd): Promise<WriteResult> {
    if (!ENDS.has(end.status)) throw new ValidationError(`a trial ends COMPLETE, PRUNED or FAILED, got ${JSON.stringify(end.status)}`, 'status')
    const got = await this.pg.write(id, async (c) => {
      const row = await sweepRow(c, name)
      const e = await trialExp(c, row, number)
      const now = Date.now()
      if (end.value !== undefined) {
        const v = end.value === null || Number.isNaN(end.value) ? null : end.value
        await c.query('UPDATE trials SET value = $1 WHERE sweep_id = $2 AND number = $3', [v, row.id, number])
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
      await c.query('UPDATE experiments SET heartbeat_at = $1 WHERE id = $2', [now, e.id])
    })
  }

  async shouldPrune(name: string, number: number): Promise<boolean> {
    return this.pg.read(async (c) => {
      const row = await sweepRow(c, name)
      const config = configOf(row)
      if (!config.earlyTerminate) return false
      const e = await trialExp(c, row, number)
      const { name: series, split } = parseSeriesKey(config.metric.name)
      const own = (
        await rows<{ step: number; value: number }>(
          c,
          `SELECT p.step, p.value FROM points p JOIN series s ON s.id = p.series_id
           WHERE s.experiment_id = $1 AND s.name = $2 AND s.split = $3 AND p.value <> 'NaN' ORDER BY p.step, p.seq`,
          [e.id, series, split],
        )
      ).map((r) => [r.step, r.value] as const)
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
        const r = await rows<{ v: number | null }>(
          c,
          `SELECT (SELECT NULLIF(p.value, 'NaN') FROM points p WHERE p.series_id = s.id AND p.step = $4 ORDER BY p.seq DESC LIMIT 1) AS v
           FROM trials t JOIN experiments e ON e.id = t.experiment_id
           JOIN series s ON s.experiment_id = t.experiment_id AND s.name = $2 AND s.split = $3
           WHERE t.sweep_id = $1 AND e.status = 'COMPLETE'`,
          [row.id, series, split, step],
        )
        valuesAt.set(
          step,
          r.map((x) => x.v).filter((v): v is number => v !== null),
        )
      }
      const mode = config.metric.goal === 'minimize' ? 'min' : 'max'
      for (const step of bestUpTo.keys()) {
        const r = await rows<{ v: number | null }>(
          c,
          `SELECT ${mode}(NULLIF(p.value, 'NaN')) AS v FROM trials t
           JOIN series s ON s.experiment_id = t.experiment_id AND s.name = $2 AND s.split = $3
           JOIN points p ON p.series_id = s.id AND p.step <= $4
           WHERE t.sweep_id = $1 AND t.number <> $5
             AND EXISTS (SELECT 1 FROM points q WHERE q.series_id = s.id AND q.step >= $4)
           GROUP BY s.id`,
          [row.id, series, split, step, number],
        )
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
      await c.query("UPDATE sweeps SET state = 'STOPPED', updated_at = $1 WHERE id = $2", [Date.now(), row.id])
    })
    return { duplicate: got.duplicate }
  }

  async get(name: string): Promise<SweepView> {
    return this.pg.read(async (c) => this.view(c, await sweepRow(c, name)))
  }

  async list(): Promise<SweepSummary[]> {
    return this.pg.read(async (c) => {
      const all = await rows<SweepRow>(c, `${SWEEP} ORDER BY s.created_at DESC, s.id DESC`)
      return Promise.all(all.map(async (r) => (await this.view(c, r)).sweep))
    })
  }
}
