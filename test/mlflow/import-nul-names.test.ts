// MLflow's stores take an experiment name, and a logged model's params and tags, holding
// a U+0000 that mldb refuses in every stored text (docs/schema.md Limits). A NUL (or a
// newline) in an experiment name refused the whole import; a logged model's NUL params
// and tags were kept raw. docs/mlflow.md promises the rule of every other text: what
// mldb cannot keep is left out (a name: its characters replaced) with one line each, and
// the rest imports. Stores are written by the real MLflow client (test/mlflow/py/nul_store.py).
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { buildCli, mldb, tempHome } from '../cli/helpers.js'
import { runPy } from './venv.js'

interface Made {
  experiments: Record<string, string>
  runs: Record<string, string>
  model_id: string
}

/** A regular expression matching text literally. */
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe.each([
  ['mlflow.db', 'sqlite'],
  ['mlruns/', 'files'],
])('mldb import of %s whose experiment names and logged model hold U+0000', (_source, kind) => {
  const t = tempHome()
  let made: Made
  let store: string
  beforeAll(async () => {
    buildCli()
    made = await runPy<Made>('nul_store.py', [kind, join(t.home, 'src')])
    store = join(t.home, 'src', kind === 'sqlite' ? 'mlflow.db' : 'mlruns')
  }, 300_000)
  afterAll(() => t.cleanup())

  it('imports the runs of a refused experiment name under the name with its characters replaced, and leaves out the bad params and tags of a logged model, with a line each', async () => {
    const r = mldb(t.home, ['import', store, '--db', t.db, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { experiments: string[]; leftOut: string[] }
    const ex = made.experiments
    const nul = 'contains U+0000 (NUL)'
    const model = `logged model ${made.model_id} ("clf")`
    const expected = [
      // "a b" is another experiment's name, so the NUL one gets its MLflow id too
      `experiment "a\\u0000b": imported as project "a b-${ex['a\u0000b']}": its name ${nul}`,
      `experiment "new\\nline": imported as project "new line": its name contains control characters`,
      `experiment "\\u0000": imported as project "mlflow-experiment-${ex['\u0000']}": its name ${nul}`,
      `${model}: param "opt" left out: it ${nul}`,
      `${model}: tag "team" left out: it ${nul}`,
      ...(kind === 'sqlite' ? [`${model}: param "k\\u0000" left out: it ${nul}`, `${model}: tag "t\\u0000" left out: it ${nul}`] : []),
    ]
    for (const line of expected) expect(out.leftOut).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${literal(line)}`))]))
    expect(out.leftOut).toHaveLength(expected.length)

    const db = new Database({ path: t.db, server: '' })
    try {
      const projectOf = Object.fromEntries(db.listExperiments().map((e) => [e.name, e.project]))
      expect(projectOf).toEqual({
        'in clean': 'a b',
        'in nul': `a b-${ex['a\u0000b']}`,
        'in newline': 'new line',
        'in bare nul': `mlflow-experiment-${ex['\u0000']}`,
        source: 'models',
      })
      expect(db.getParams('in nul')).toEqual({ lr: '0.1' })
      expect(db.getMetricValues('in nul', 'loss').map((p) => p.value)).toEqual([0.5])
      // what MLflow's client reads back of the logged model: the params and tags mldb could keep
      const app = createApp({ db, webRoot: join(t.home, 'no-web-build') })
      const res = await app.request(`/api/2.0/mlflow/logged-models/${made.model_id}`)
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).not.toContain('\\u0000')
      const got = JSON.parse(text) as { model: { data: { params: { key: string; value: string }[] }; info: { tags: { key: string; value: string }[] } } }
      expect(got.model.data.params).toEqual([{ key: 'alpha', value: '0.5' }])
      expect(got.model.info.tags).toEqual(expect.arrayContaining([{ key: 'kind', value: 'toy' }]))
      expect(got.model.info.tags.map((x) => x.key)).not.toContain('team')
    } finally {
      db.close()
    }

    // the same names again: a second import finds its projects and doubles nothing
    const again = mldb(t.home, ['import', store, '--db', t.db, '--json'])
    expect(again.status, again.stderr).toBe(0)
    const second = JSON.parse(again.stdout) as { experiments: string[]; alreadyImported: number; alreadyImportedModels: number }
    expect(second.experiments).toEqual([])
    expect(second.alreadyImported).toBe(5)
    expect(second.alreadyImportedModels).toBe(1)
  })
})
