// MLflow's REST API on a team server on PostgreSQL: the official Python client runs the
// same training flow as against a SQLite file (test/mlflow/py/training_flow.py asserts
// what the client reads back), what it logs is ordinary mldb data on PostgreSQL, and what
// an mldb client logged there is read by MLflow's client; MLflow's registry calls land in the
// server's own registry (test/mlflow/py/registry_flow.py, as in test/mlflow/registry.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { hashToken } from '../../src/server/tokens.js'
import type { Store } from '../../src/store/store.js'
import { tempDir } from '../helpers/tmp.js'
import { serveApp, startMlflowServer } from '../mlflow/server.js'
import { mlflowPython, runPy } from '../mlflow/venv.js'
import { BACKENDS } from './backends.js'

const START = 'mlflow-pg-token'

/**
 * One REST conversation of MLflow's wire calls (as its clients make them), every answer
 * kept with its status; ids and clock times replaced by stable names, so two servers compare.
 */
async function conversation(url: string, token?: string): Promise<unknown[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
  const out: unknown[] = []
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/api/2.0/mlflow${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const json = (await res.json()) as Record<string, unknown>
    out.push([path, res.status, json])
    return json
  }
  const exp = (await call('POST', '/experiments/create', { name: 'same', tags: [{ key: 'team', value: 'a' }] })).experiment_id as string
  const run = (await call('POST', '/runs/create', { experiment_id: exp, run_name: 'r1', start_time: 1000, tags: [{ key: 't', value: 'v' }] })) as {
    run: { info: { run_id: string } }
  }
  const runId = run.run.info.run_id
  await call('POST', '/runs/log-batch', {
    run_id: runId,
    params: [{ key: 'lr', value: '1.0' }],
    tags: [{ key: 'note', value: 'x' }],
    metrics: [
      { key: 'valid/loss', value: 0.5, timestamp: 10, step: 0 },
      { key: 'valid/loss', value: 'NaN', timestamp: 11, step: 1 },
      { key: 'valid/loss', value: 'Infinity', timestamp: 12, step: 1 },
      { key: 'valid/loss', value: 0.5, timestamp: 10, step: 0 },
      { key: 'acc', value: 0.75, timestamp: 13, step: 2 },
    ],
  })
  await call('POST', '/runs/log-metric', { run_id: runId, key: 'valid/loss', value: 0.5, timestamp: 10, step: 0 }) // a retry: kept once
  await call('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '2.0' }) // refused
  await call('POST', '/runs/update', { run_id: runId, status: 'FINISHED', end_time: 2000 })
  await call('GET', `/metrics/get-history?run_id=${runId}&metric_key=valid/loss`)
  await call('GET', `/runs/get?run_id=${runId}`)
  await call('POST', '/runs/search', { experiment_ids: [exp], filter: "metrics.acc > 0.5 and params.lr = '1.0'", order_by: ['attributes.start_time DESC'] })
  await call('GET', '/runs/get?run_id=0123456789abcdef0123456789abcdef')
  await call('POST', '/experiments/create', { name: 'same' })
  await call('GET', '/experiments/get-by-name?experiment_name=same')
  await call('POST', '/runs/log-inputs', {
    run_id: runId,
    datasets: [{ dataset: { name: 'iris', digest: 'abc', source_type: 'local', source: '/d' }, tags: [] }],
  })
  await call('POST', '/runs/delete-tag', { run_id: runId, key: 'note' })
  await call('POST', '/runs/delete-tag', { run_id: runId, key: 'never' })
  await call('POST', '/runs/search', { experiment_ids: [exp], filter: "dataset.name = 'iris' and tags.t = 'v'" })
  await call('POST', '/experiments/set-experiment-tag', { experiment_id: exp, key: 'k', value: 'w' })
  await call('POST', '/experiments/update', { experiment_id: exp, new_name: 'same-renamed' })
  await call('POST', '/experiments/search', { filter: "name LIKE 'same%'", max_results: 5 })
  await call('POST', '/runs/delete', { run_id: runId })
  await call('POST', '/runs/search', { experiment_ids: [exp], run_view_type: 'DELETED_ONLY' })
  await call('POST', '/runs/log-metric', { run_id: runId, key: 'late', value: 1, timestamp: 1, step: 0 })
  await call('POST', '/runs/restore', { run_id: runId })
  await call('POST', '/experiments/delete', { experiment_id: exp })
  await call('POST', '/experiments/search', { view_type: 'DELETED_ONLY' })
  await call('POST', '/runs/search', { experiment_ids: [exp], run_view_type: 'ALL' })
  await call('POST', '/experiments/restore', { experiment_id: exp })
  await call('GET', `/runs/get?run_id=${runId}`)
  await call('POST', '/experiments/delete', { experiment_id: '0' })
  const text = JSON.stringify(out).replace(/"(creation_time|last_update_time|last_updated_timestamp)":\d+/g, '"$1":"<time>"')
  // the run id (32 hex digits) wherever it appears; the experiment id where it is a whole value or a path part
  const named = text.replaceAll(runId, '<run>').replace(new RegExp(`(["/])${exp}(?=["/])`, 'g'), '$1<exp>')
  return JSON.parse(named) as unknown[]
}

describe("MLflow's official Python client against mldb server on PostgreSQL", () => {
  let store: Store
  let server: Awaited<ReturnType<typeof serveApp>>
  let env: Record<string, string>
  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${START}` } })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    mlflowPython()
    const pg = BACKENDS.find((b) => b.name === 'postgres') as (typeof BACKENDS)[number]
    store = (await pg.fresh()).store
    const app = createServerApp({ store, artifactsDir: tempDir('mldb-mlflow-pg-').dir, maxArtifactBytes: 2 ** 30, startToken: START })
    server = await serveApp(app)
    env = { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: START }
  }, 600_000)
  afterAll(() => server?.close())

  it('runs the whole training flow unchanged, and the server sees it as its own data', async () => {
    const ids = await runPy<{ experiment_id: string; good: string; child: string }>('training_flow.py', [], env)
    const exps = await store.listExperiments({ project: 'mlflow-flow', orderBy: 'name' })
    expect(exps.map((e) => [e.name, e.status])).toEqual([
      ['bad', 'FAILED'],
      ['child', 'COMPLETE'],
      ['good', 'COMPLETE'],
    ])
    const good = exps.find((e) => e.name === 'good')
    // params stay MLflow's text, byte for byte
    expect(good?.params).toMatchObject({ lr: '0.01', one: '1.0', big: '12345678901234567890', pad: ' 5 ', flag: 'true' })
    expect(good?.series['train/loss']?.count).toBe(6)
    expect((await store.getPoints('good', 'train/loss')).map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
      [2, 0.1],
      [3, 0.25],
      [4, 0.2],
    ])
    expect(exps.find((e) => e.name === 'child')?.tags['mlflow.parentRunId']).toBe(ids.good)
    // the artifact proxy's uploads are file records of their run, as on a file
    const files = (await store.getExperiment('good')).files
    expect(files.map((f) => [f.kind, f.meta?.mlflowArtifact, f.size])).toEqual([
      ['data', 'plots/hello.txt', 15],
      ['model', 'MLmodel', 12],
    ])
    // mldb's filter language and the server's own /api see MLflow's data
    expect((await store.listExperiments({ where: "params.lr = '0.01'" })).map((e) => e.name)).toEqual(['good'])
    const listed = await get('/api/experiments?project=mlflow-flow')
    expect(listed.status).toBe(200)
    expect(JSON.stringify(listed.body)).toContain('"good"')
    // what `mldb --server URL show good` reads
    const shown = (await get('/api/experiments/good')).body as { status: string; params: Record<string, unknown>; files: { kind: string }[] }
    expect([shown.status, shown.params.lr, shown.files.map((f) => f.kind)]).toEqual(['COMPLETE', '0.01', ['data', 'model']])
  }, 300_000)

  it('answers a REST conversation exactly as a server on a SQLite file does', async () => {
    const file = await startMlflowServer()
    try {
      const onFile = await conversation(file.url)
      const onPg = await conversation(server.url, START)
      expect(onPg).toEqual(onFile)
      // and the conversation did what it says: the retried point once, the refused param not written
      expect(JSON.stringify(onPg)).toContain('"error_code":"INVALID_PARAMETER_VALUE"')
      expect((await store.listExperiments({ project: 'same-renamed' }))[0]?.series['valid/loss']?.count).toBe(3)
    } finally {
      await file.close()
    }
  }, 300_000)

  it('creates runs of one name in parallel, each its own experiment', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/2.0/mlflow${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const exp = ((await (await post('/experiments/create', { name: 'parallel' })).json()) as { experiment_id: string }).experiment_id
    const answers = await Promise.all(Array.from({ length: 8 }, () => post('/runs/create', { experiment_id: exp, run_name: 'trial' })))
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200))
    const runs = await store.listExperiments({ project: 'parallel' })
    expect(runs).toHaveLength(8)
    expect(runs.every((e) => e.tags['mlflow.runName'] === 'trial')).toBe(true)
  }, 120_000)

  it('lets a read-only token search but not write, and refuses an artifact path out of the store', async () => {
    await store.createToken('dash', hashToken('mldb_dash'), true)
    const as = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    expect((await as('mldb_dash', 'POST', '/api/2.0/mlflow/experiments/search', { max_results: 10 })).status).toBe(200)
    expect((await as('mldb_dash', 'POST', '/api/2.0/mlflow/experiments/create', { name: 'by-reader' })).status).toBe(403)
    expect((await as(START, 'GET', '/api/2.0/mlflow/experiments/create?name=by-get')).status).toBe(404)
    expect((await store.listProjects()).map((p) => p.name)).not.toContain('by-get')
    expect((await as(START, 'GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=by-reader')).status).toBe(404)
    const up = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/1/..%2F..%2Fescape.txt`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${START}` },
      body: 'x',
    })
    expect(up.status).toBe(400)
    expect(((await up.json()) as { error_code: string }).error_code).toBe('INVALID_PARAMETER_VALUE')
  })

  it("lets MLflow's client read an experiment an mldb client logged", async () => {
    const w = (seq: number) => ({ client: 'mldb-client', seq })
    await store.createExperiment(w(1), { name: 'made-by-mldb', project: 'vision', params: { lr: '0.1', layers: 3 }, tags: { team: 'a' } })
    await store.logPoints(w(2), 'made-by-mldb', [
      { name: 'loss', split: 'train', step: 0, value: 0.9, time: 1000 },
      { name: 'loss', split: 'train', step: 1, value: Number.NaN, time: 2000 },
      { name: 'loss', split: 'train', step: 2, value: 0.4, time: 3000 },
    ])
    await store.setStatus(w(3), 'made-by-mldb', 'COMPLETE')
    const read = await runPy<{ status: string; params: Record<string, string>; tags: Record<string, string>; history: [number, number | null][] }>(
      'read_mldb_flow.py',
      ['vision', 'made-by-mldb'],
      env,
    )
    expect(read).toMatchObject({ status: 'FINISHED', params: { lr: '0.1', layers: '3' }, tags: { team: 'a' } })
    expect(read.history).toEqual([
      [0, 0.9],
      [1, null],
      [2, 0.4],
    ])
  }, 300_000)

  it("runs MLflow's model registry flow, and the server's registry holds the same versions", async () => {
    const ids = await runPy<{ run_id: string; model_id: string }>('registry_flow.py', [], env)
    const versions = await store.registry.versions('iris-clf')
    expect(versions.map((v) => [v.version, v.exp, v.aliases])).toEqual([
      [1, 'trainer', []],
      [3, 'trainer', ['prod']],
    ])
    const v1 = versions[0]
    // the version points at the MLmodel the client uploaded, with the run's evidence
    expect(v1?.path).toMatch(new RegExp(`/${ids.run_id}/artifacts/model/MLmodel$`))
    expect(v1?.description).toBe('the first one')
    expect(v1?.params).toEqual({ lr: '0.01' })
    expect(v1?.metrics['valid/acc']?.last).toBe(0.93)
    expect((await store.registry.get('iris-clf@prod')).path).toMatch(new RegExp(`/models/${ids.model_id}/artifacts/MLmodel$`))
    const model = (await store.registry.list()).find((m) => m.name === 'iris-clf')
    expect([model?.description, model?.tags, model?.aliases]).toEqual(['iris, v2', { owner: 'ml' }, { prod: 3 }])
    expect((await store.registry.history('iris-clf')).map((h) => [h.alias, h.from, h.to])).toEqual([
      ['champion', null, 1],
      ['prod', null, 3],
      ['champion', 1, null],
    ])
    expect((await store.registry.list()).map((m) => m.name)).toEqual(['iris-clf'])
  }, 300_000)
})
