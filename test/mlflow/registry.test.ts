import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMlflowServer } from './server.js'
import { mlflowPython, runPy } from './venv.js'

describe("MLflow's model registry through the official client against mldb", () => {
  let server: Awaited<ReturnType<typeof startMlflowServer>>
  beforeAll(async () => {
    mlflowPython()
    server = await startMlflowServer()
  }, 600_000)
  afterAll(() => server?.close())

  it("registers, aliases, tags, searches and deletes, and mldb's registry holds the same versions", async () => {
    const ids = await runPy<{ run_id: string; model_id: string }>('registry_flow.py', [], { MLFLOW_TRACKING_URI: server.url })
    const db = server.db
    expect(db.listModelVersions('iris-clf').map((v) => [v.version, v.exp, v.aliases])).toEqual([
      [1, 'trainer', []],
      [3, 'trainer', ['prod']],
    ])
    const v1 = db.getModelVersion('iris-clf/1')
    // the version points at the MLmodel the client uploaded, with the run's evidence
    expect(v1.path).toMatch(new RegExp(`/${ids.run_id}/artifacts/model/MLmodel$`))
    expect(v1.description).toBe('the first one')
    expect(v1.params).toEqual({ lr: '0.01' })
    expect(v1.metrics['valid/acc']?.last).toBe(0.93)
    expect(db.getModelVersion('iris-clf@prod').version).toBe(3)
    expect(db.getModelVersion('iris-clf@prod').path).toMatch(new RegExp(`/models/${ids.model_id}/artifacts/MLmodel$`))
    const model = db.listModels().find((m) => m.name === 'iris-clf')
    expect([model?.description, model?.tags, model?.aliases]).toEqual(['iris, v2', { owner: 'ml' }, { prod: 3 }])
    expect(db.getModelHistory('iris-clf').map((h) => [h.alias, h.from, h.to])).toEqual([
      ['champion', null, 1],
      ['prod', null, 3],
      ['champion', 1, null],
    ])
    expect(db.listModels().map((m) => m.name)).toEqual(['iris-clf'])
  }, 300_000)
})
