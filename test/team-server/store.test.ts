import { describe, expect, it } from 'vitest'
import { NotFoundError, SchemaVersionError, ValidationError } from '../../src/errors.js'
import { parseJsonNumbers } from '../../src/json.js'
import { loadPgMigrations } from '../../src/store/postgres/pg-migrations.js'
import { PostgresStore } from '../../src/store/postgres/pg-store.js'
import type { RemotePoint } from '../../src/store/store.js'
import { BACKENDS, freshPgUrl, sharedCluster } from './backends.js'

const pt = (name: string, split: string, step: number, value: number, time = 1_000 + step): RemotePoint => ({ name, split, step, value, time })
let seq = 0
const id = (client = 'c1') => ({ client, seq: ++seq })

describe.each(BACKENDS)('the store on $name', (backend) => {
  it('creates an experiment with params and tags once; a retried create is acknowledged and changes nothing', async () => {
    const { store } = await backend.fresh()
    const w = id()
    expect(
      await store.createExperiment(w, { name: 'a', project: 'p1', params: { lr: 0.01, layers: [64, 64] }, tags: { team: 'vision' }, host: 'gpu7', pid: 42 }),
    ).toEqual({
      duplicate: false,
    })
    expect(await store.createExperiment(w, { name: 'a', project: 'other' })).toEqual({ duplicate: true })
    const [e] = await store.listExperiments({})
    expect(e).toMatchObject({
      name: 'a',
      project: 'p1',
      status: 'TRAINING',
      storedStatus: 'TRAINING',
      host: 'gpu7',
      pid: 42,
      params: { lr: 0.01, layers: [64, 64] },
      tags: { team: 'vision' },
    })
    expect(e?.startedAt).toBeTypeOf('number')
    expect(await store.listProjects()).toEqual([{ name: 'p1', experiments: 1 }])
  })

  it('keeps NaN and ±Infinity exact, and duplicate steps in the order logged', async () => {
    const { store } = await backend.fresh()
    await store.createExperiment(id(), { name: 'e' })
    await store.logPoints(id(), 'e', [
      pt('rmse', '', 0, Number.NaN),
      pt('rmse', '', 1, Number.POSITIVE_INFINITY),
      pt('rmse', '', 1, 0.5),
      pt('rmse', '', 2, Number.NEGATIVE_INFINITY),
    ])
    await store.logPoints(id(), 'e', [pt('rmse', '', 1, 0.25)])
    const points = await store.getPoints('e', 'rmse')
    expect(points.map((p) => [p.step, p.value])).toEqual([
      [0, Number.NaN],
      [1, Number.POSITIVE_INFINITY],
      [1, 0.5],
      [1, 0.25],
      [2, Number.NEGATIVE_INFINITY],
    ])
    const [s] = await store.getSeries('e')
    expect(s).toMatchObject({
      key: 'rmse',
      count: 5,
      firstStep: 0,
      lastStep: 2,
      last: Number.NEGATIVE_INFINITY,
      min: Number.NEGATIVE_INFINITY,
      max: Number.POSITIVE_INFINITY,
      nanCount: 1,
    })
    expect((await store.getPoints('e', 'rmse', { afterStep: 1 })).map((p) => p.step)).toEqual([2])
  })

  it('keeps negative steps (MLflow logs step -1): step order, paging past them, summaries and blocks', async () => {
    const { store } = await backend.fresh()
    await store.createExperiment(id(), { name: 'e' })
    await store.logPoints(id(), 'e', [pt('acc', '', 3, 0.9), pt('acc', '', -1, 0.1)])
    await store.logPoints(id(), 'e', [pt('acc', '', 0, 0.5), pt('acc', '', -5, 0.05)])
    expect((await store.getPoints('e', 'acc')).map((p) => p.step)).toEqual([-5, -1, 0, 3])
    expect((await store.getPoints('e', 'acc', { afterStep: -5, limit: 2 })).map((p) => p.step)).toEqual([-1, 0])
    expect((await store.getSeries('e'))[0]).toMatchObject({ count: 4, firstStep: -5, lastStep: 3, last: 0.9, min: 0.05 })
    // 200 points from -150 close blocks; 100 more behind them widen the first; 3 buckets over -300..49
    await store.logPoints(
      id(),
      'e',
      Array.from({ length: 200 }, (_, i) => pt('loss', '', i - 150, i === 50 ? 1000 : i)),
    )
    await store.logPoints(
      id(),
      'e',
      Array.from({ length: 100 }, (_, i) => pt('loss', '', i - 300, -1)),
    )
    const buckets = await store.downsample('e', 'loss', { buckets: 3 })
    expect(buckets.map((b) => [b.step, b.count])).toEqual([
      [-300, 100],
      [-150, 84],
      [-66, 116],
    ])
    expect(Math.max(...buckets.map((b) => b.max))).toBe(1000)
  })

  it('a retried batch (same write id) lands once; a batch with a bad point writes nothing and its id stays free', async () => {
    const { store } = await backend.fresh()
    await store.createExperiment(id(), { name: 'e' })
    const w = id()
    const batch = Array.from({ length: 500 }, (_, i) => pt('loss', 'train', i, 1 / (i + 1)))
    expect(await store.logPoints(w, 'e', batch)).toEqual({ duplicate: false })
    expect(await store.logPoints(w, 'e', batch)).toEqual({ duplicate: true })
    expect((await store.getSeries('e'))[0]?.count).toBe(500)
    const w2 = id()
    await expect(store.logPoints(w2, 'e', [pt('loss', 'train', 500, 1), pt('', 'train', 501, 1)])).rejects.toThrow(ValidationError)
    await expect(store.logPoints(w2, 'e', [pt('loss', 'train', 500, 1), pt('loss', 'train', 1.5, 1)])).rejects.toThrow(ValidationError)
    expect((await store.getSeries('e'))[0]?.count).toBe(500)
    expect(await store.logPoints(w2, 'e', [pt('loss', 'train', 500, 1)])).toEqual({ duplicate: false })
    expect((await store.getSeries('e'))[0]?.count).toBe(501)
  })

  it('keeps summaries and downsampling blocks in step with the points, under concurrent batches and late steps', async () => {
    const { store } = await backend.fresh()
    await store.createExperiment(id(), { name: 'e' })
    const all: RemotePoint[] = []
    // 40 batches of 100 sent at once, out of order, with NaNs, a spike and a late step.
    const batches = Array.from({ length: 40 }, (_, b) =>
      Array.from({ length: 100 }, (_, i) => {
        const step = b * 100 + i
        const v = step === 1234 ? 1e6 : step % 97 === 0 ? Number.NaN : Math.sin(step)
        return pt('loss', 'valid', step, v)
      }),
    )
    for (const b of batches) all.push(...b)
    await Promise.all(batches.map((b, i) => store.logPoints(id(`w${i}`), 'e', b)))
    await store.logPoints(id(), 'e', [pt('loss', 'valid', 10, -5)])
    all.push(pt('loss', 'valid', 10, -5))
    const [s] = await store.getSeries('e')
    const finite = all.map((p) => p.value).filter((v) => !Number.isNaN(v))
    expect(s).toMatchObject({
      count: 4001,
      firstStep: 0,
      lastStep: 3999,
      nanCount: all.filter((p) => Number.isNaN(p.value)).length,
      min: Math.min(...finite),
      max: 1e6,
    })
    const buckets = await store.downsample('e', 'valid/loss', { buckets: 8 })
    expect(buckets.map((b) => b.count)).toEqual([501, 500, 500, 500, 500, 500, 500, 500])
    expect(Math.max(...buckets.map((b) => b.max))).toBe(1e6)
    expect(buckets[0]?.min).toBe(-5)
    expect(buckets.reduce((n, b) => n + b.nanCount, 0)).toBe(s?.nanCount)
    expect(buckets[7]?.last).toBe(Math.sin(3999))
  })

  it('records statuses with their history, ends the clock on a final one, and derives LOST from an old heartbeat', async () => {
    const fresh = await backend.fresh()
    const { store } = fresh
    await store.createExperiment(id(), { name: 'e', status: 'PENDING' })
    expect((await store.getExperiment('e')).startedAt).toBeNull()
    await store.setStatus(id(), 'e', 'TRAINING')
    await store.setStatus(id(), 'e', 'COMPLETE')
    const e = await store.getExperiment('e')
    expect(e.statusHistory.map((h) => h.status)).toEqual(['PENDING', 'TRAINING', 'COMPLETE'])
    expect(e.endedAt).toBeTypeOf('number')
    await store.createExperiment(id(), { name: 'gone' })
    await fresh.sql('UPDATE experiments SET heartbeat_at = $1, updated_at = $1 WHERE name = $2', [Date.now() - 120_000, 'gone'])
    expect((await store.getExperiment('gone')).status).toBe('LOST')
    expect((await store.listExperiments({ status: 'lost' })).map((x) => x.name)).toEqual(['gone'])
    expect(await store.countExperiments({ where: "status = 'LOST'" })).toBe(1)
  })

  it('lists with params, tags and series summaries; filters, short forms and sort keys compile for the backend', async () => {
    const { store } = await backend.fresh()
    for (const [i, lr] of [0.001, 0.01, 0.1, 0.5].entries()) {
      await store.createExperiment(id(), { name: `run${i}`, project: i < 2 ? 'a' : 'b', params: { lr, opt: i % 2 ? 'adam' : 'sgd' }, tags: { i: String(i) } })
      await store.logPoints(id(), `run${i}`, [pt('loss', 'valid', 0, 1), pt('loss', 'valid', 1, lr * 2), pt('acc', '', 0, i)])
    }
    const names = async (o: Parameters<typeof store.listExperiments>[0]) => (await store.listExperiments(o)).map((e) => e.name)
    expect(await names({ where: 'params.lr < 0.1 and metrics.valid/loss < 0.01' })).toEqual(['run0'])
    expect(await names({ where: "lr >= 0.01 and opt = 'adam'", orderBy: 'valid/loss desc' })).toEqual(['run3', 'run1'])
    expect(await names({ orderBy: 'metrics.acc desc' })).toEqual(['run3', 'run2', 'run1', 'run0'])
    expect(await names({ orderBy: 'params.lr', limit: 2, offset: 1 })).toEqual(['run1', 'run2'])
    expect(await names({ project: 'b', where: "tags.i in ('2', '3') and max(metrics.valid/loss) >= 1" })).toEqual(['run3', 'run2'])
    expect(await names({ name: 'run*', where: 'count(metrics.acc) = 1 and metrics.nothing is null' })).toHaveLength(4)
    expect(await store.countExperiments({ where: "opt = 'sgd'" })).toBe(2)
    await expect(store.listExperiments({ where: 'nosuch > 1' })).rejects.toThrow(/unknown field "nosuch"/)
    const [e] = await store.listExperiments({ where: "name = 'run2'" })
    expect(e?.series['valid/loss']).toEqual({
      name: 'loss',
      split: 'valid',
      key: 'valid/loss',
      count: 2,
      firstStep: 0,
      lastStep: 1,
      lastTime: 1001,
      last: 0.2,
      min: 0.2,
      max: 1,
      nanCount: 0,
    })
    expect(e?.params).toEqual({ lr: 0.1, opt: 'sgd' })
    // the server's JSON fast path says the same as the objects
    const fast = await store.listExperimentsJson({ orderBy: 'params.lr' })
    expect(fast.count).toBe(4)
    // (durationMs of a running experiment grows with the clock between the two calls)
    const strip = (xs: unknown) => (xs as { durationMs?: number }[]).map(({ durationMs: _, ...x }) => x)
    expect(strip(parseJsonNumbers(fast.json))).toEqual(strip(await store.listExperiments({ orderBy: 'params.lr' })))
  })

  it('params are written once, tags and notes change; files are recorded; unknown experiments are NotFoundError', async () => {
    const { store } = await backend.fresh()
    await store.createExperiment(id(), { name: 'e' })
    await store.setParams(id(), 'e', { lr: 0.1 })
    await store.setParams(id(), 'e', { lr: 0.1, bs: 32 })
    await expect(store.setParams(id(), 'e', { lr: 0.2, other: 1 })).rejects.toThrow(ValidationError)
    await store.setTags(id(), 'e', { t: 'x' })
    await store.setTags(id(), 'e', { t: 'y' })
    await store.setNotes(id(), 'e', 'hello')
    const f = await store.addFile(id(), 'e', {
      path: '/remote/ckpt.pt',
      kind: 'checkpoint',
      step: 3,
      size: 10,
      mtime: 5,
      sha256: 'ab'.repeat(32),
      meta: { epoch: 3 },
    })
    expect(f.file).toMatchObject({
      experiment: 'e',
      path: '/remote/ckpt.pt',
      kind: 'checkpoint',
      step: 3,
      size: 10,
      sha256: 'ab'.repeat(32),
      meta: { epoch: 3 },
    })
    const e = await store.getExperiment('e')
    expect(e).toMatchObject({ params: { lr: 0.1, bs: 32 }, tags: { t: 'y' }, notes: 'hello' })
    expect(e.files).toHaveLength(1)
    expect(await store.getFile(f.file?.id as number)).toMatchObject({ path: '/remote/ckpt.pt' })
    await expect(store.setStatus(id(), 'nope', 'COMPLETE')).rejects.toThrow(NotFoundError)
    await expect(store.logPoints(id(), 'nope', [pt('x', '', 0, 1)])).rejects.toThrow(NotFoundError)
    await expect(store.getExperiment('nope')).rejects.toThrow(NotFoundError)
    await expect(store.addFile(id(), 'e', { path: '/x', kind: 'weird', step: null, size: 1, mtime: 1, sha256: null, meta: null })).rejects.toThrow(
      ValidationError,
    )
    await expect(
      store.addFile(id(), 'e', { path: '/x', kind: 'data', step: null, size: 1, mtime: 1, sha256: null, meta: { big: 'x'.repeat(70_000) } }),
    ).rejects.toThrow(/file meta is \d+ bytes as JSON; the limit is 65536/)
    expect((await store.getExperiment('e')).files).toHaveLength(1)
  })

  it('keeps token hashes and artifact records', async () => {
    const { store } = await backend.fresh()
    await store.createToken('alice', 'h1', false)
    await store.createToken('ci', 'h2', true)
    await expect(store.createToken('ci', 'h3', false)).rejects.toThrow(/exists/)
    expect((await store.listTokens()).map((t) => [t.name, t.readOnly])).toEqual([
      ['alice', false],
      ['ci', true],
    ])
    expect(await store.revokeToken('alice')).toBe(true)
    expect(await store.revokeToken('alice')).toBe(false)
    expect(await store.tokenHashes()).toEqual([{ name: 'ci', hash: 'h2', readOnly: true }])
    await store.addArtifact('cd'.repeat(32), 7)
    await store.addArtifact('cd'.repeat(32), 7)
    expect(await store.artifactSize('cd'.repeat(32))).toBe(7)
    expect(await store.artifactSize('ef'.repeat(32))).toBeUndefined()
  })
})

describe('both backends', () => {
  it('draw the same downsampled chart of a long series from their 64-point blocks, spikes and NaNs kept', async () => {
    const [a, b] = await Promise.all(BACKENDS.map((x) => x.fresh()))
    const all: RemotePoint[] = []
    for (let i = 0; i < 30_000; i++) all.push(pt('loss', 'train', i, i === 17_777 ? 1e9 : i % 1000 === 0 ? Number.NaN : Math.cos(i / 100), 5 + i))
    all.push(pt('loss', 'train', 12_345, -7)) // a late duplicate step inside a closed block
    for (const f of [a, b]) {
      if (!f) continue
      await f.store.createExperiment(id(), { name: 'long' })
      for (let k = 0; k < 30_000; k += 5_000) await f.store.logPoints(id(), 'long', all.slice(k, k + 5_000))
      await f.store.logPoints(id(), 'long', all.slice(30_000))
    }
    const options = { buckets: 100, from: 1_000, to: 28_999 }
    const [da, db] = await Promise.all([a?.store.downsample('long', 'train/loss', options), b?.store.downsample('long', 'train/loss', options)])
    expect(da).toHaveLength(100)
    expect(db).toEqual(da)
    expect(Math.max(...(da ?? []).map((x) => x.max))).toBe(1e9)
    expect(Math.min(...(da ?? []).map((x) => x.min))).toBe(-7)
    expect((da ?? []).reduce((n, x) => n + x.count, 0)).toBe(28_000 + 1)
    expect((da ?? []).reduce((n, x) => n + x.nanCount, 0)).toBe(28)
    const [sa, sb] = await Promise.all([a?.store.getSeries('long'), b?.store.getSeries('long')])
    expect(sb).toEqual(sa)
  })
})

describe('PostgreSQL migrations', () => {
  it('refuses a database written by a newer mldb, without changing it', async () => {
    const url = freshPgUrl()
    const store = await PostgresStore.open(url)
    expect(await store.version()).toBe(loadPgMigrations().length)
    await store.close()
    const name = url.slice(url.lastIndexOf('/') + 1)
    sharedCluster().psql('UPDATE mldb_schema SET version = 99', name)
    await expect(PostgresStore.open(url)).rejects.toThrow(SchemaVersionError)
    expect(sharedCluster().psql('SELECT version FROM mldb_schema', name).trim()).toBe('99')
  })

  it('reports an unreachable server as one clear error', async () => {
    await expect(PostgresStore.open('postgresql://postgres@127.0.0.1:1/none')).rejects.toThrow(
      /PostgreSQL at postgresql:\/\/postgres@127.0.0.1:1\/none is unreachable/,
    )
  })
})
