import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { textProblem, textProblemAt } from '../api/validate-text.js'
import { BEFORE_FIRST_STEP } from '../store/steps.js'
import type { LocalExperiment, LocalPoint, SyncRows } from './sync-rows.js'

/** The tag that carries an experiment's uuid on the server, so two machines' same-named experiments never merge. */
export const UUID_TAG = 'mldb.uuid'

/** Points per request. */
export const POINTS_PER_WRITE = 5000

/** A write to hand to the server: its path, its body (without client and seq) and what to record when acknowledged. */
export interface PlannedWrite {
  /** a first write of an experiment: its sync row, recorded with the write */
  register?: { e: number; uuid: string; name: string }
  method: 'POST'
  path: string
  body: Record<string, unknown>
  ack: Ack
}

/** What an acknowledged write makes the sender record (absolute values: an ack is applied once, with the outbox row's deletion). */
export type Ack =
  | { t: 'create'; e: number; name: string; uuid: string; statusId: number; params: Record<string, string>; tags: Record<string, string> }
  | { t: 'status'; e: number; id: number }
  | { t: 'params'; e: number; params: Record<string, string> }
  | { t: 'tags'; e: number; tags: Record<string, string> }
  | { t: 'notes'; e: number; notes: string }
  | { t: 'file'; e: number; id: number; upload?: { path: string; size: number; sha256: string } }
  | { t: 'points'; e: number; series: [id: number, step: number, seq: number, n: number][]; from: [step: number, seq: number][] }
  | { t: 'late'; e: number; keys: [id: number, step: number, seq: number][] }

const expPath = (name: string, what: string) => `/api/experiments/${encodeURIComponent(name)}/${what}`

/** JSON has no NaN or Infinity: the write API takes them as strings. */
function wireValue(v: number | null): number | string {
  if (v === null) return 'NaN'
  if (v === Number.POSITIVE_INFINITY) return 'Infinity'
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity'
  return v
}

const parseParams = (stored: Record<string, string>) => Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, JSON.parse(v) as unknown]))

/**
 * The params or tags a server can hold: a row written before U+0000 was refused may still
 * hold one (docs/schema.md, "Limits"). The creation write leaves those out and does not
 * count them acknowledged, so they follow in a write of their own that the server refuses
 * once, instead of refusing the creation and with it every later write of the experiment.
 */
const holdable = (stored: Record<string, string>, parse: (v: string) => unknown) =>
  Object.fromEntries(Object.entries(stored).filter(([k, v]) => textProblem(k) === undefined && textProblemAt(parse(v)) === undefined))

/**
 * The writes that bring the server up to date with one experiment, in the order
 * they must be applied: its creation first (alone: the rest waits until the
 * server confirmed it holds this experiment's uuid), then status changes,
 * params, tags, notes, file records and points.
 *
 * @example planExperiment(rows, exp, { maxUploadBytes: 50 * 2 ** 20 })
 */
export function planExperiment(rows: SyncRows, exp: LocalExperiment, o: { maxUploadBytes: number }): PlannedWrite[] {
  // A new experiment gets its uuid here; the row is written with its creation write.
  const sync = exp.sync ?? {
    experiment_id: exp.id,
    uuid: randomUUID(),
    remote_name: exp.name,
    created: 0,
    status_id: 0,
    params: '{}',
    tags: '{}',
    notes: '',
    file_id: 0,
  }
  const params = rows.params(exp.id)
  const tags = rows.tags(exp.id)
  if (!sync.created) {
    const first = rows.statusChanges(exp.id, 0)[0]
    const createParams = holdable(params, (v) => JSON.parse(v))
    const createTags = holdable(tags, (v) => v)
    const body: Record<string, unknown> = {
      name: sync.remote_name,
      project: exp.project,
      params: parseParams(createParams),
      tags: { ...createTags, [UUID_TAG]: sync.uuid },
    }
    if (first) body.status = first.status
    // an old host holding U+0000 is left out: no later write sets the host
    if (exp.host && textProblem(exp.host) === undefined) body.host = exp.host
    if (exp.pid !== null) body.pid = exp.pid
    return [
      {
        ...(exp.sync ? {} : { register: { e: exp.id, uuid: sync.uuid, name: sync.remote_name } }),
        method: 'POST',
        path: '/api/experiments',
        body,
        ack: { t: 'create', e: exp.id, name: sync.remote_name, uuid: sync.uuid, statusId: first?.id ?? 0, params: createParams, tags: createTags },
      },
    ]
  }
  const out: PlannedWrite[] = []
  const name = sync.remote_name
  for (const s of rows.statusChanges(exp.id, sync.status_id)) {
    out.push({ method: 'POST', path: expPath(name, 'status'), body: { status: s.status }, ack: { t: 'status', e: exp.id, id: s.id } })
  }
  const ackedParams = JSON.parse(sync.params) as Record<string, string>
  const newParams = Object.fromEntries(Object.entries(params).filter(([k, v]) => ackedParams[k] !== v))
  if (Object.keys(newParams).length) {
    out.push({ method: 'POST', path: expPath(name, 'params'), body: { params: parseParams(newParams) }, ack: { t: 'params', e: exp.id, params } })
  }
  const ackedTags = JSON.parse(sync.tags) as Record<string, string>
  const newTags = Object.fromEntries(Object.entries(tags).filter(([k, v]) => ackedTags[k] !== v))
  if (Object.keys(newTags).length) {
    out.push({ method: 'POST', path: expPath(name, 'tags'), body: { tags: newTags }, ack: { t: 'tags', e: exp.id, tags } })
  }
  if (exp.notes !== sync.notes)
    out.push({ method: 'POST', path: expPath(name, 'notes'), body: { notes: exp.notes }, ack: { t: 'notes', e: exp.id, notes: exp.notes } })
  for (const f of rows.files(exp.id, sync.file_id)) {
    let sha256 = f.sha256
    let upload: { path: string; size: number; sha256: string } | undefined
    if (f.size <= o.maxUploadBytes && existsSync(f.path) && statSync(f.path).size === f.size) {
      // Hash here, once: the record sent and its retries then name the same bytes.
      sha256 ??= createHash('sha256').update(readFileSync(f.path)).digest('hex')
      upload = { path: f.path, size: f.size, sha256 }
    }
    const body = { path: f.path, kind: f.kind, step: f.step, size: f.size, mtime: f.mtime, sha256, meta: f.meta === null ? null : JSON.parse(f.meta) }
    out.push({ method: 'POST', path: expPath(name, 'files'), body, ack: { t: 'file', e: exp.id, id: f.id, ...(upload ? { upload } : {}) } })
  }
  // A points write is kept in the outbox as its range (after `from`, up to `series`' keys), not
  // its body: a few bytes instead of ~300 KB in the transaction the logging processes wait behind.
  let budget = POINTS_PER_WRITE
  const series: [number, number, number, number][] = []
  const from: [number, number][] = []
  for (const s of rows.series(exp.id)) {
    if (budget <= 0) break
    const last = rows.lastKeyWithin(s.id, s.step, s.seq, budget)
    if (!last) continue
    budget -= last.n
    series.push([s.id, last.step, last.seq, last.n])
    from.push([s.step, s.seq])
  }
  if (series.length) out.push({ method: 'POST', path: expPath(name, 'points'), body: {}, ack: { t: 'points', e: exp.id, series, from } })
  // Points logged behind what was already sent (noted by the points_behind_sync trigger) go by their keys.
  const late = rows.lateKeys(exp.id, POINTS_PER_WRITE)
  if (late.length) out.push({ method: 'POST', path: expPath(name, 'points'), body: {}, ack: { t: 'late', e: exp.id, keys: late } })
  return out
}

/**
 * The body of a points write, read back from the outbox row's ack: the same points every
 * time it is sent. A range write holds the points after `from` up to its last key, less
 * those the points_behind_sync trigger noted as late since (a late write sends them).
 *
 * @example transport.send('POST', path, pointsBody(rows, ack, row.body))
 */
export function pointsBody(rows: SyncRows, ack: Extract<Ack, { t: 'points' | 'late' }>, stored: string): string {
  const points: Record<string, unknown>[] = []
  const push = (s: { name: string; split: string } | undefined, p: LocalPoint | undefined) => {
    if (s && p) points.push({ name: s.name, split: s.split, step: p.step, value: wireValue(p.value), time: p.time })
  }
  if (ack.t === 'late') {
    for (const [id, step, seq] of ack.keys) push(rows.seriesName(id), rows.point(id, step, seq))
  } else {
    ack.series.forEach(([id, lastStep, lastSeq], i) => {
      const s = rows.seriesName(id)
      for (const p of rows.pointsInRange(id, ack.from[i] ?? [BEFORE_FIRST_STEP, -1], [lastStep, lastSeq])) push(s, p)
    })
  }
  return JSON.stringify({ ...(JSON.parse(stored) as Record<string, unknown>), points })
}

/**
 * Records an acknowledged write (called in the transaction that deletes its outbox row).
 *
 * @example applyAck(rows, { t: 'status', e: 3, id: 17 })
 */
export function applyAck(rows: SyncRows, ack: Ack): void {
  switch (ack.t) {
    case 'create':
      rows.updateExperiment(ack.e, { created: 1, status_id: ack.statusId, params: JSON.stringify(ack.params), tags: JSON.stringify(ack.tags) })
      break
    case 'status':
      rows.updateExperiment(ack.e, { status_id: ack.id })
      break
    case 'params':
      rows.updateExperiment(ack.e, { params: JSON.stringify(ack.params) })
      break
    case 'tags':
      rows.updateExperiment(ack.e, { tags: JSON.stringify(ack.tags) })
      break
    case 'notes':
      rows.updateExperiment(ack.e, { notes: ack.notes })
      break
    case 'file':
      rows.updateExperiment(ack.e, { file_id: ack.id })
      break
    case 'points':
      for (const [id, step, seq, n] of ack.series) rows.ackSeries(id, step, seq, n)
      break
    case 'late':
      for (const [id, step, seq] of ack.keys) rows.ackLate(id, step, seq)
      break
  }
}
