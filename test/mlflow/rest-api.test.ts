import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupApp } from '../server/helpers.js'

type Body = Record<string, unknown> & { error_code?: string; message?: string }

describe("MLflow's REST API on the server's app (wire details)", () => {
  let s: ReturnType<typeof setupApp>
  beforeEach(() => {
    s = setupApp()
  })
  afterEach(() => s.close())

  const call = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
    const res = await s.app.request(`/api/2.0/mlflow/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    return { status: res.status, body: JSON.parse(await res.text()) as Body }
  }

  it("answers errors as MLflow does: { error_code, message } with MLflow's statuses", async () => {
    const missing = await call('experiments/get-by-name?experiment_name=nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST')
    expect(Object.keys(missing.body).sort()).toEqual(['error_code', 'message'])
    expect((await call('experiments/create', { name: 'a' })).status).toBe(200)
    const again = await call('experiments/create', { name: 'a' })
    expect([again.status, again.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS'])
    const noName = await call('experiments/create', {})
    expect([noName.status, noName.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    const noRun = await call('runs/get?run_id=abc')
    expect([noRun.status, noRun.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST'])
    const badJson = await call('runs/log-metric', '{not json')
    expect([badJson.status, badJson.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    const unknown = await call('no/such/endpoint', {})
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND'])
    const badFilter = await call('runs/search', { experiment_ids: ['0'], filter: 'metrics.a > 1 or metrics.b < 2' })
    expect([badFilter.status, badFilter.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
  })

  it('keeps NaN and ±Infinity as protobuf JSON writes them, and takes run_uuid for run_id', async () => {
    const { body } = await call('runs/create', { experiment_id: '0', run_name: 'r', start_time: '1700000000000' })
    const runId = (body.run as { info: { run_id: string; start_time: number } }).info.run_id
    expect((body.run as { info: { start_time: number } }).info.start_time).toBe(1700000000000)
    for (const [value, step] of [
      ['NaN', 0],
      ['Infinity', 1],
      ['-Infinity', 2],
    ] as const) {
      expect((await call('runs/log-metric', { run_uuid: runId, key: 'm', value, timestamp: 5, step })).status).toBe(200)
    }
    // Python's json module writes bare NaN: taken too
    expect((await call('runs/log-metric', `{"run_id": "${runId}", "key": "m", "value": NaN, "timestamp": 6, "step": 3}`)).status).toBe(200)
    const h = await call(`metrics/get-history?run_id=${runId}&metric_key=m`)
    expect(h.body.metrics).toEqual([
      { key: 'm', value: 'NaN', timestamp: 5, step: 0 },
      { key: 'm', value: 'Infinity', timestamp: 5, step: 1 },
      { key: 'm', value: '-Infinity', timestamp: 5, step: 2 },
      { key: 'm', value: 'NaN', timestamp: 6, step: 3 },
    ])
    const paged = await call(`metrics/get-history?run_id=${runId}&metric_key=m&max_results=3`)
    expect((paged.body.metrics as unknown[]).length).toBe(3)
    const rest = await call(
      `metrics/get-history?run_id=${runId}&metric_key=m&max_results=3&page_token=${encodeURIComponent(String(paged.body.next_page_token))}`,
    )
    expect(rest.body.metrics).toEqual([{ key: 'm', value: 'NaN', timestamp: 6, step: 3 }])
    expect(rest.body.next_page_token).toBeUndefined()
  })

  it("shows runs that mldb's own clients logged, under an id MLflow's clients can use", async () => {
    s.db.setExpStatus('mine', 'TRAINING')
    s.db.setParams('mine', { lr: 0.01, opt: 'adam' })
    s.db.addMetricValue('mine', 'loss', 3, 0.5, { split: 'valid' })
    const { body } = await call('runs/search', { experiment_ids: ['0'], filter: "params.opt = 'adam' and metrics.`valid/loss` < 1" })
    const runs = body.runs as { info: { run_id: string; run_name: string; status: string }; data: { params: unknown[]; metrics: unknown[] } }[]
    expect(runs.map((r) => [r.info.run_name, r.info.status])).toEqual([['mine', 'RUNNING']])
    const id = runs[0]?.info.run_id as string
    expect(runs[0]?.data.params).toEqual([
      { key: 'lr', value: '0.01' },
      { key: 'opt', value: 'adam' },
    ])
    expect((await call('runs/log-metric', { run_id: id, key: 'valid/loss', value: 0.25, timestamp: 1, step: 4 })).status).toBe(200)
    expect(s.db.getSeries('mine').map((x) => [x.key, x.last])).toEqual([['valid/loss', 0.25]])
    expect((await call('runs/update', { run_id: id, status: 'FINISHED', end_time: 2 })).body).toMatchObject({ run_info: { status: 'FINISHED' } })
    expect(s.db.getExpStatus('mine')).toBe('COMPLETE')
  })

  it("refuses a log-batch over MLflow's limits (the Python client splits its own batches), writing nothing", async () => {
    const { body } = await call('runs/create', { experiment_id: '0', run_name: 'big' })
    const runId = (body.run as { info: { run_id: string } }).info.run_id
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' }))
    const res = await call('runs/log-batch', { run_id: runId, params, metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] })
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    expect(res.body.message).toMatch(/at most 100 params\. Got 101 params/)
    expect([s.db.getParams('big'), s.db.getSeries('big')]).toEqual([{}, []])
  })

  it('refuses artifact paths that leave the artifact store, and writes nothing', async () => {
    const res = await s.app.request('/api/2.0/mlflow-artifacts/artifacts/..%2F..%2Fetc%2Fx', { method: 'PUT', body: 'x' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Body).error_code).toBe('INVALID_PARAMETER_VALUE')
  })
})
