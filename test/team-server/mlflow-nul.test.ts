// PostgreSQL's text cannot hold U+0000, so a NUL in an MLflow request was a 500
// INTERNAL_ERROR there (which MLflow's client retries for minutes) and was stored on
// a SQLite file. Both servers now refuse it up front: a 400 naming the field, nothing written.
import { describe, expect, it } from 'vitest'
import { createServerApp } from '../../src/server/server-app.js'
import { tempDir } from '../helpers/tmp.js'
import { BACKENDS } from './backends.js'

const START = 'mlflow-nul-token'

describe.each(BACKENDS)('U+0000 in an MLflow request on mldb server ($name)', (backend) => {
  it('is a 400 INVALID_PARAMETER_VALUE naming the field, and writes nothing', async () => {
    const store = (await backend.fresh()).store
    const app = createServerApp({ store, artifactsDir: tempDir('mldb-mlflow-nul-').dir, maxArtifactBytes: 1 << 20, startToken: START })
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(`/api/2.0/mlflow${path}`, {
        method,
        headers: { authorization: `Bearer ${START}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: (await res.json()) as { error_code?: string; message?: string } & Record<string, unknown> }
    }
    const exp = (await call('POST', '/experiments/create', { name: 'nul' })).body.experiment_id as string
    const runId = ((await call('POST', '/runs/create', { experiment_id: exp, run_name: 'r' })).body.run as { info: { run_id: string } }).info.run_id
    const refused = [
      await call('POST', '/runs/set-tag', { run_id: runId, key: 'k', value: 'a\u0000b' }),
      await call('POST', '/runs/log-batch', {
        run_id: runId,
        tags: [
          { key: 'ok', value: 'x' },
          { key: 'k', value: '\u0000' },
        ],
      }),
      await call('POST', '/experiments/create', { name: 'bad\u0000name' }),
      await call('POST', '/runs/update', { run_id: runId, run_name: 'r\u0000' }),
      await call('GET', '/runs/get?run_id=%00abc'),
    ]
    expect(refused.map((r) => [r.status, r.body.error_code])).toEqual(refused.map(() => [400, 'INVALID_PARAMETER_VALUE']))
    expect(refused.map((r) => r.body.message?.match(/parameter '([^']+)'/)?.[1])).toEqual(['value', 'tags[1].value', 'name', 'run_name', 'run_id'])
    const run = (await call('GET', `/runs/get?run_id=${runId}`)).body.run as { data: { tags?: { key: string }[] }; info: { run_name: string } }
    expect(run.info.run_name).toBe('r')
    expect((run.data.tags ?? []).map((t) => t.key).filter((k) => !k.startsWith('mlflow.'))).toEqual([])
  })
})
