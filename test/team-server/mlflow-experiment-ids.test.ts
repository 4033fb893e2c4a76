// An MLflow experiment id is the decimal text of a project's id: the SQLite and the
// PostgreSQL servers read `experiment_ids` of a search by the same rule (wire-rows.ts's
// projectIdOf), so ' 1', '1.0' or '01' finds nothing on either, and '1' finds the runs.
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'mlflow-ids-token'

describe.each(BACKENDS)("a search's experiment_ids on mldb server ($name)", (backend) => {
  it('finds the runs and logged models of an exact id only', async () => {
    const store = (await backend.fresh()).store
    const app = createServerApp({ store, artifactsDir: tempDir('mldb-mlflow-ids-').dir, maxArtifactBytes: 1 << 20, startToken: START })
    const call = async (path: string, body: unknown) => {
      const res = await app.request(`/api/2.0/mlflow${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(res.status, path).toBe(200)
      return (await res.json()) as Record<string, unknown[] | string | undefined>
    }
    const exp = (await call('/experiments/create', { name: 'ids' })).experiment_id as string
    await call('/runs/create', { experiment_id: exp, run_name: 'r' })
    await call('/logged-models', { experiment_id: exp, name: 'm' })
    const runs = async (id: string) => ((await call('/runs/search', { experiment_ids: [id] })).runs ?? []).length
    const models = async (id: string) => ((await call('/logged-models/search', { experiment_ids: [id] })).models ?? []).length
    expect(await runs(exp)).toBe(1)
    expect(await models(exp)).toBe(1)
    for (const id of [` ${exp}`, `${exp}.0`, `0${exp}`, `${exp}e0`]) {
      expect(await runs(id), id).toBe(0)
      expect(await models(id), id).toBe(0)
    }
  })
})
