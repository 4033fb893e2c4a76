// MLflow's REST API is served on a SQLite file only (docs/mlflow.md): on PostgreSQL an
// MLflow client gets MLflow's NOT_IMPLEMENTED saying so, not a 404 it would read as
// "no such experiment" (set_experiment would then try to create it, and fail oddly).
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'mlflow-pg-token'

describe('MLflow routes on a team server on PostgreSQL', () => {
  it("answer 501 NOT_IMPLEMENTED in MLflow's words, naming the docs", async () => {
    const pg = BACKENDS.find((b) => b.name === 'postgres')
    const fresh = await (pg as (typeof BACKENDS)[number]).fresh()
    const app = createServerApp({ store: fresh.store, artifactsDir: tempDir().dir, maxArtifactBytes: 1024, startToken: START })
    const headers = { authorization: `Bearer ${START}`, 'content-type': 'application/json' }
    for (const [method, path] of [
      ['GET', '/api/2.0/mlflow/experiments/get-by-name?experiment_name=x'],
      ['POST', '/api/2.0/mlflow/runs/create'],
      ['POST', '/ajax-api/2.0/mlflow/runs/search'],
      ['PUT', '/api/2.0/mlflow-artifacts/artifacts/0/abc/model.pkl'],
    ] as const) {
      const res = await app.request(path, { method, headers, ...(method === 'GET' ? {} : { body: '{}' }) })
      expect(res.status, path).toBe(501)
      const body = (await res.json()) as { error_code: string; message: string }
      expect(body.error_code).toBe('NOT_IMPLEMENTED')
      expect(body.message).toContain('SQLite file only')
    }
  })
})
