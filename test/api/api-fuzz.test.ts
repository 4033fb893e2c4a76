import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Database, encodePng, expName, MldbError, Run } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

/** mulberry32: a small seeded generator, so a failure replays with its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Gen = () => unknown

/** Methods left out of the fuzz: @internal (Run's plumbing), private, or closing the file under test. */
const NOT_FUZZED = {
  db: ['close', 'createRun', 'joinRun', 'keepBeating', 'stopBeating', 'expId', 'findSeries', 'open', 'timerBeat', 'write'],
  run: ['end'],
}

/** The methods an object's class offers (getters and the constructor left out). */
function methodsOf(proto: object): string[] {
  return Object.entries(Object.getOwnPropertyDescriptors(proto))
    .filter(([name, d]) => name !== 'constructor' && typeof d.value === 'function')
    .map(([name]) => name)
    .sort()
}

/** Random values of every type the API might be handed by mistake. */
function anyValue(r: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const cyclic: Record<string, unknown> = { a: 1 }
  cyclic.self = cyclic
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error('no reading me')
      },
    },
  )
  return pick<() => unknown>([
    () => undefined,
    () => null,
    () => r() < 0.5,
    () => Math.floor(r() * 10),
    () => -1,
    () => 1.5,
    () => Number.NaN,
    () => Number.POSITIVE_INFINITY,
    () => 2 ** 60,
    () => 10n,
    () => Symbol('s'),
    () => () => 1,
    () => '',
    () => '   ',
    () => 'x'.repeat(300),
    () => 'a\u0000b',
    () => pick(['e1', 'loss', 'valid', 'valid/loss', 'COMPLETE', 'LOST', 'model', "status = 'COMPLETE'", 'params.lr <', '((((']),
    () => [],
    () => [1, 'a'],
    () => ({}),
    () => ({ where: 42, limit: 1.5, project: {}, status: [], split: 7, step: -1, kind: 'nope', hash: 'yes', meta: 5 }),
    () => ({ name: 10n, afterStep: Number.NaN, buckets: 0, offset: -3, trashed: 'no', ids: ['x'] }),
    () => cyclic,
    () => hostile,
    () => new Date(Number.NaN),
    () => new Map([[1, 2]]),
    () => Object.create(null),
  ])()
}

describe('fuzzing the public API with random argument types', () => {
  it('throws only MldbErrors, and a rejected call writes nothing', () => {
    const t = tempDir()
    const path = join(t.dir, 'fuzz.db')
    const file = join(t.dir, 'weights.bin')
    writeFileSync(file, 'w')
    const db = new Database({ path })
    db.setExpStatus('e1', 'TRAINING')
    db.setParams('e1', { lr: 0.1 })
    db.addLossValue('e1', 'valid', 0, 0.5)
    db.addFile('e1', file, { kind: 'model' })
    db.registerModel('m', { exp: 'e1', file })
    const runs: Run[] = [db.startRun({ name: 'r1', handleExit: false })]
    const r = rng(Number(process.env.MLDB_FUZZ_SEED ?? 20261129))
    const any: Gen = () => anyValue(r)
    // Half the time a plausible value, so calls get past their first check.
    const or =
      (...good: unknown[]): Gen =>
      () =>
        r() < 0.5 ? good[Math.floor(r() * good.length)] : any()
    const exp = or('e1', 'r1', 'new-exp')
    const png = encodePng({ width: 1, height: 1, data: [0] })
    const opts = or(undefined, {}, { split: 'valid' }, { project: 'p' })
    const calls: Record<string, Gen[]> = {
      setExpStatus: [exp, or('COMPLETE', 'TRAINING'), opts],
      getExpStatus: [exp],
      getStatusHistory: [exp],
      heartbeat: [exp],
      addMetricValue: [exp, or('acc'), or(0, 1), or(0.5, Number.NaN), opts],
      addLossValue: [exp, or('train'), or(2), or(0.1)],
      logBatch: [exp, or([{ name: 'loss', step: 3, value: 1 }], [{ name: 'loss', step: 1.5, value: 1 }])],
      getMetricValues: [exp, or('loss'), or({ split: 'valid' }, { limit: 1 }, { afterStep: 0 })],
      getLossValues: [exp, or('valid')],
      getSeries: [exp],
      downsample: [exp, or('valid/loss'), or({ buckets: 10 })],
      setParams: [exp, or({ lr: 0.1 }, { depth: [1, [2]] })],
      getParams: [exp],
      setTags: [exp, or({ team: 'a' })],
      getTags: [exp],
      setNotes: [exp, or('note')],
      getNotes: [exp],
      addFile: [exp, or(file), or({ kind: 'model' }, { meta: { a: 1 } })],
      getFiles: [exp, or({ kind: 'model' })],
      getFileById: [or(1)],
      checkFiles: [or(undefined, 'e1'), or({ hash: true })],
      listExperiments: [or({ where: "status = 'COMPLETE'" }, { limit: 2, orderBy: 'name' })],
      countExperiments: [or({ project: 'default' })],
      getExperiment: [exp],
      bestExperiment: [or('valid/loss'), or('min', 'max', undefined), or({ where: 'params.lr > 0' })],
      query: [or('SELECT count(*) AS n FROM experiments'), any],
      trashExperiment: [or('new-exp')],
      restoreExperiment: [or('new-exp')],
      seriesDirection: [or('valid/loss')],
      startRun: [or({ project: 'p' }, { name: 'r2' }, { params: { lr: 1 } })],
      transaction: [or(() => db.setNotes('e1', 'in a transaction'))],
      purgeExperiment: [or('new-exp')],
      logImage: [exp, or('samples'), or(0), or(png, { width: 1, height: 1, data: [0] })],
      logTable: [exp, or('preds'), or(0), or([{ a: 1 }], { columns: ['a'], rows: [[1]] }), or(undefined, { format: 'csv' })],
      logHistogram: [exp, or('weights'), or(0), or([1, 2, 3], { edges: [0, 1], counts: [2] }), or(undefined, { bins: 4 })],
      registerModel: [or('m', 'm2'), or({ exp: 'e1', file }, { exp: 'e1', file, aliases: ['staging'], description: 'd', tags: { a: 'b' } })],
      getModelVersion: [or('m', 'm@staging', 'm/1')],
      setModelAlias: [or('m'), or('champion'), or(1)],
      deleteModelAlias: [or('m'), or('champion')],
      updateModel: [or('m'), or({ description: 'x' }, { tags: { a: 'b' } })],
      listModels: [],
      listModelVersions: [or(undefined, 'm'), or(undefined, { exp: 'e1' })],
      getModelHistory: [or('m')],
      verifyModel: [or('m/1')],
      verifyModels: [or(undefined, 'm')],
      createSweep: [or({ name: 'sw', method: 'grid', metric: { name: 'valid/loss', goal: 'minimize' }, parameters: { lr: { values: [0.1, 0.2] } } })],
      getSweep: [or('sw')],
      listSweeps: [],
    }
    const runCalls: Record<string, Gen[]> = {
      log: [or({ loss: 0.1 }), or({ step: 1 }, { split: 'train' })],
      setParams: [or({ bs: 32 })],
      setTags: [or({ t: 'x' })],
      addFile: [or(file), or({ kind: 'checkpoint', step: 1 })],
      setStatus: [or('VALIDATING')],
      finish: [or('COMPLETE')],
      fail: [any],
      logImage: [or('samples'), or(png), or(undefined, { step: 1 })],
      logTable: [or('preds'), or([{ a: 1 }]), or(undefined, { step: 1, format: 'csv' })],
      logHistogram: [or('weights'), or([1, 2]), or(undefined, { step: 1, bins: 4 })],
    }
    // every public method is in the tables above: one added later is fuzzed too
    expect(Object.keys(calls).sort()).toEqual(methodsOf(Database.prototype).filter((m) => !NOT_FUZZED.db.includes(m)))
    expect(Object.keys(runCalls).sort()).toEqual(methodsOf(Run.prototype).filter((m) => !NOT_FUZZED.run.includes(m)))
    const tables = db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
    const cell = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)
    // Every row of every table (some are WITHOUT ROWID: sorted as text instead).
    const dump = () =>
      tables
        .map((tb) =>
          (db.sqlite.prepare(`SELECT * FROM "${tb}"`).raw().all() as unknown[])
            .map((row) => JSON.stringify(row, cell))
            .sort()
            .join('\n'),
        )
        .join('\n--\n')
    const failures: string[] = []
    let rejected = 0
    const call = (label: string, fn: () => unknown) => {
      const before = dump()
      try {
        const out = fn()
        if (out && typeof out === 'object' && 'finish' in out && 'log' in out) runs.push(out as Run)
      } catch (e) {
        rejected++
        if (!(e instanceof MldbError)) failures.push(`${label}: ${(e as Error)?.constructor?.name} ${(e as Error)?.message}`)
        else if (dump() !== before) failures.push(`${label}: rejected with "${e.message}" but wrote`)
      }
    }
    const show = (args: unknown[]) => args.map((a) => (typeof a === 'symbol' ? 'Symbol' : typeof a === 'bigint' ? `${a}n` : typeof a)).join(', ')
    for (let i = 0; i < 3000; i++) {
      if (r() < 0.8) {
        const names = Object.keys(calls)
        const name = names[Math.floor(r() * names.length)] as string
        const args = (calls[name] as Gen[]).map((g) => g())
        // A run that hooks the process would outlive the test; everything else is as generated.
        if (name === 'startRun' && args[0] && typeof args[0] === 'object' && !Array.isArray(args[0]) && !(args[0] instanceof Map)) {
          try {
            Object.assign(args[0], { handleExit: false })
          } catch {
            // a Proxy that refuses: call it as is
          }
        }
        call(`db.${name}(${show(args)})`, () => (db as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args))
      } else {
        const run = runs[Math.floor(r() * runs.length)] as Run
        const names = Object.keys(runCalls)
        const name = names[Math.floor(r() * names.length)] as string
        const args = (runCalls[name] as Gen[]).map((g) => g())
        call(`run.${name}(${show(args)})`, () => (run as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args))
      }
    }
    for (let i = 0; i < 200; i++) {
      const args = [any(), r() < 0.5 ? undefined : any()]
      call(`expName(${show(args)})`, () => expName(...(args as [string, Date])))
    }
    for (let i = 0; i < 100; i++) {
      const options = any()
      // a random string would be a path: only other types here, and real paths
      const arg = typeof options === 'string' ? { path } : options
      call(`new Database(${show([arg])})`, () => new Database(arg as never).close())
    }
    for (const run of runs) run.finish()
    db.close()
    t.cleanup()
    expect(failures.slice(0, 20)).toEqual([])
    expect(rejected).toBeGreaterThan(1000)
  }, 120_000)
})
