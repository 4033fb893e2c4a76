import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMlflowServer } from './server.js'
import { mlflowPython, runPy } from './venv.js'

describe("MLflow's official Python client against mldb", () => {
  let server: Awaited<ReturnType<typeof startMlflowServer>>
  beforeAll(async () => {
    mlflowPython()
    server = await startMlflowServer()
  }, 600_000)
  afterAll(() => server?.close())

  it('runs a whole training flow unchanged, and mldb sees it as its own data', async () => {
    const ids = await runPy<{ experiment_id: string; good: string; child: string }>('training_flow.py', [], { MLFLOW_TRACKING_URI: server.url })
    const db = server.db
    const exps = db.listExperiments({ project: 'mlflow-flow', orderBy: 'name' })
    expect(exps.map((e) => [e.name, e.status])).toEqual([
      ['bad', 'FAILED'],
      ['child', 'COMPLETE'],
      ['good', 'COMPLETE'],
    ])
    // params stay MLflow's text, byte for byte
    expect(db.getParams('good')).toMatchObject({ lr: '0.01', one: '1.0', big: '12345678901234567890', pad: ' 5 ', flag: 'true' })
    expect(db.getMetricValues('good', 'loss', { split: 'train' }).map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
      [2, 0.1],
      [3, 0.25],
      [4, 0.2],
    ])
    expect(db.getTags('child')['mlflow.parentRunId']).toBe(ids.good)
    const files = db.getFiles('good')
    expect(files.map((f) => [f.kind, f.meta?.mlflowArtifact, f.size])).toEqual([
      ['data', 'plots/hello.txt', 15],
      ['model', 'MLmodel', 12],
    ])
    // mldb's own filter language sees MLflow's data
    expect(db.listExperiments({ where: "params.lr = '0.01'" }).map((e) => e.name)).toEqual(['good'])
  }, 300_000)
})
