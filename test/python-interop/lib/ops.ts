import type { Database } from '../../../src/index.js'
import { toJson } from '../../../src/json.js'

/** One API call, described as data so that both clients can replay it. */
export type Op =
  | { op: 'status'; status: string; project?: string }
  | { op: 'metric'; name: string; split?: string; step: number; value: number }
  | { op: 'loss'; split: string; step: number; value: number }
  | { op: 'batch'; points: { name: string; split?: string; step: number; value: number }[] }
  | { op: 'params'; params: Record<string, unknown> }
  | { op: 'tags'; tags: Record<string, string | number | boolean> }
  | { op: 'notes'; notes: string }
  | { op: 'file'; path: string; kind: 'model' | 'checkpoint' | 'other'; step?: number; hash?: boolean; meta?: Record<string, string> }

/** The ops as JSON for interop.py (NaN/±Infinity as strings). */
export const opsJson = (ops: Op[]): string => toJson(ops)

/** Hyperparameters whose JSON text both clients must write identically. */
export const PARAMS = {
  lr: 0.001,
  layers: [64, 64],
  opt: { name: 'adam', betas: [0.9, 0.999] },
  flag: true,
  nothing: null,
  big: 1e21,
  small: 1e-7,
  whole: 3,
  third: 1 / 3,
  name: 'héllo ✓',
}

const trainValue = (i: number) => (i % 17 === 0 ? Number.NaN : i === 5 ? Number.POSITIVE_INFINITY : i === 6 ? Number.NEGATIVE_INFINITY : i / 7)

/** A sample experiment touching every kind of call: NaN/±Infinity, repeated and unordered steps, batches, params, tags, a file. */
export function sampleOps(filePath: string): Op[] {
  const ops: Op[] = [{ op: 'status', status: 'TRAINING', project: 'interop' }]
  for (let i = 0; i < 200; i++) ops.push({ op: 'loss', split: 'train', step: i, value: trainValue(i) })
  ;[3, 1, 2, 2, 0].forEach((step, k) => {
    ops.push({ op: 'loss', split: 'valid', step, value: [0.3, 0.1, 0.2, 0.25, 0][k] as number })
  })
  for (let i = 0; i < 10; i++) ops.push({ op: 'metric', name: 'rmse', step: i, value: 1 / (i + 1) })
  for (let b = 0; b < 4; b++) {
    const points = []
    for (let s = b * 25; s < b * 25 + 25; s++) {
      points.push({ name: 'acc', split: 'valid', step: s, value: s === 50 ? Number.NaN : s / 100 })
      points.push({ name: 'f1', split: 'valid', step: s, value: -s - 1 })
    }
    ops.push({ op: 'batch', points })
  }
  ops.push({ op: 'params', params: PARAMS })
  ops.push({ op: 'tags', tags: { team: 'vision', n: 3, ok: true } })
  ops.push({ op: 'notes', notes: 'two\nlines' })
  ops.push({ op: 'file', path: filePath, kind: 'model', step: 3, hash: true, meta: { format: 'pt' } })
  ops.push({ op: 'status', status: 'COMPLETE' })
  return ops
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Many single points and batches in a random order: repeated steps, steps behind closed blocks, NaNs. */
export function randomPointOps(seed: number, n: number): Op[] {
  const rnd = random(seed)
  const value = () => (rnd() < 0.05 ? Number.NaN : rnd() < 0.02 ? Number.NEGATIVE_INFINITY : Math.round(rnd() * 1e6) / 1e3)
  const ops: Op[] = []
  let step = 0
  for (let i = 0; i < n; i++) {
    const name = ['a', 'b', 'c'][Math.floor(rnd() * 3)] as string
    const back = rnd() < 0.15
    const s = back ? Math.floor(rnd() * (step + 1)) : step++
    if (rnd() < 0.1) {
      const size = 1 + Math.floor(rnd() * 150)
      const points = Array.from({ length: size }, (_, k) => ({ name, split: 'x', step: s + Math.floor(k / 2), value: value() }))
      step = Math.max(step, s + size)
      ops.push({ op: 'batch', points })
    } else {
      ops.push({ op: 'metric', name, split: 'x', step: s, value: value() })
    }
  }
  return ops
}

/** Applies ops through the TypeScript API, as interop.py does through the Python one. */
export function replayTs(db: Database, exp: string, ops: Op[]): void {
  for (const o of ops) {
    switch (o.op) {
      case 'status':
        db.setExpStatus(exp, o.status, o.project === undefined ? {} : { project: o.project })
        break
      case 'metric':
        db.addMetricValue(exp, o.name, o.step, o.value, { split: o.split ?? '' })
        break
      case 'loss':
        db.addLossValue(exp, o.split, o.step, o.value)
        break
      case 'batch':
        db.logBatch(exp, o.points)
        break
      case 'params':
        db.setParams(exp, o.params)
        break
      case 'tags':
        db.setTags(exp, o.tags)
        break
      case 'notes':
        db.setNotes(exp, o.notes)
        break
      case 'file':
        db.addFile(exp, o.path, { kind: o.kind, ...(o.step === undefined ? {} : { step: o.step }), hash: o.hash ?? false, ...(o.meta ? { meta: o.meta } : {}) })
        break
    }
  }
}

/** The (step, value) pairs each series must hold after ops: step order, equal steps in logging order. */
export function expectedPoints(ops: Op[]): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>()
  const add = (name: string, split: string | undefined, step: number, value: number) => {
    const key = split ? `${split}/${name}` : name
    let list = out.get(key)
    if (!list) {
      list = []
      out.set(key, list)
    }
    list.push([step, value])
  }
  for (const o of ops) {
    if (o.op === 'metric') add(o.name, o.split, o.step, o.value)
    else if (o.op === 'loss') add('loss', o.split, o.step, o.value)
    else if (o.op === 'batch') for (const p of o.points) add(p.name, p.split, p.step, p.value)
  }
  for (const list of out.values()) list.sort((a, b) => a[0] - b[0])
  return out
}
