import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { buildCli, mldb, ok, tempHome } from '../cli/helpers.js'
import { canStartPostgres, type Postgres, startPostgres } from '../helpers/postgres.js'
import { serveApp } from './server.js'
import { runPy } from './venv.js'

/** What MLflow's own client read from the store it wrote (make_store.py). */
interface Expected {
  experiments: { id: string; name: string; lifecycle_stage: string; creation_time: number; tags: Record<string, string> }[]
  runs: {
    run_id: string
    experiment: string
    run_name: string
    status: string
    lifecycle_stage: string
    start_time: number
    end_time: number | null
    user_id: string
    artifact_uri: string
    params: Record<string, string>
    tags: Record<string, string>
    history: Record<string, [number, number | string, number][]>
    datasets: string[]
    outputs: [string, number][]
  }[]
  models: Models
}

/** MLflow 3's logged models and the registry, as MLflow's client reads them (make_store.py read_models). */
interface Models {
  logged_models: { model_id: string; artifact_location: string }[]
  registered_models: {
    name: string
    aliases: Record<string, string>
    by_alias: Record<string, string>
    versions: { version: string; source: string; download_uri: string }[]
  }[]
}

type Run = {
  info: Record<string, unknown>
  data: { params: { key: string; value: string }[]; tags: { key: string; value: string }[] }
  inputs: { dataset_inputs: { dataset: { name: string } }[] }
  outputs: { model_outputs: { model_id: string; step: number | string }[] }
}

/**
 * MLflow's SQL store keeps ±Infinity as ±DBL_MAX; mldb keeps the infinity (what
 * the user logged). -0.0 becomes 0: SQLite stores an integral REAL as an
 * integer (docs/mlflow.md).
 */
const asLogged = (v: number | string) =>
  Object.is(v, -0)
    ? 0
    : v === 1.7976931348623157e308 || v === 'inf'
      ? 'Infinity'
      : v === -1.7976931348623157e308 || v === '-inf'
        ? '-Infinity'
        : v === 'nan'
          ? 'NaN'
          : v

// MLflow on PostgreSQL where this machine can start one (CI installs it; psycopg2 is in the MLflow venv)
const sources: [string, string][] = [
  ['mlflow.db', 'sqlite'],
  ['mlruns/', 'files'],
  ...(canStartPostgres() ? [['postgresql://…', 'postgres'] as [string, string]] : []),
]

describe.each(sources)('mldb import %s (a real store written by MLflow 3)', (source, kind) => {
  const t = tempHome()
  let expected: Expected
  let store: string
  let pg: Postgres | undefined
  beforeAll(async () => {
    buildCli()
    if (kind === 'postgres') {
      pg = startPostgres()
      store = (pg as Postgres).createDatabase('mlflow')
      expected = await runPy<Expected>('make_store.py', [store, join(t.home, 'src')])
    } else {
      expected = await runPy<Expected>('make_store.py', [kind, join(t.home, 'src')])
      store = join(t.home, 'src', source)
    }
  }, 600_000)
  afterAll(() => {
    pg?.stop()
    t.cleanup()
  })

  it.runIf(kind === 'postgres')("refuses a PostgreSQL database that is not MLflow's in one line, writing nothing", () => {
    const r = mldb(t.home, ['import', (pg as Postgres).url('postgres'), '--db', join(t.home, 'other.db')])
    expect(r.status).not.toBe(0)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/is not an MLflow tracking database/)
    expect(r.stderr).not.toMatch(/at .*\.js/)
  })

  it.runIf(kind === 'postgres')(
    'imports what the same MLflow script wrote into mlflow.db alike (names, statuses, params, points, trash)',
    async () => {
      await runPy<Expected>('make_store.py', ['sqlite', join(t.home, 'lite')])
      const shape = (file: string, from: string) => {
        ok(t.home, ['import', from, '--db', file])
        const db = new Database({ path: file })
        try {
          const all = [...db.listExperiments({}), ...db.listExperiments({ trashed: true }).map((e) => ({ ...e, name: `trash:${e.name}` }))]
          return all
            .map((e) => {
              // points of live experiments (the trash is read by name only)
              const points = e.name.startsWith('trash:')
                ? Object.keys(e.series).sort()
                : db.getSeries(e.name).map((x) => [x.key, db.getMetricValues(e.name, x.name, { split: x.split }).map((p) => [p.step, p.value])])
              // a taken name gets 8 hex of its run id, which differs between the two stores
              return [e.name.replace(/-[0-9a-f]{8}$/, '-<run id>'), e.project, e.status, e.params, points]
            })
            .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
        } finally {
          db.close()
        }
      }
      expect(shape(join(t.home, 'from-pg.db'), store)).toEqual(shape(join(t.home, 'from-sqlite.db'), join(t.home, 'lite', 'mlflow.db')))
    },
    300_000,
  )

  it('brings every field MLflow reads, and a second import doubles nothing', async () => {
    const out = JSON.parse(ok(t.home, ['import', store, '--db', t.db, '--json'])) as { experiments: string[]; alreadyImported: number }
    expect(out.experiments.length).toBe(expected.runs.length)
    expect(out.alreadyImported).toBe(0)

    const db = new Database({ path: t.db })
    try {
      const app = createApp({ db, webRoot: join(t.home, 'no-web') })
      const call = async (path: string, body: unknown) =>
        (await (await app.request(`/api/2.0/mlflow/${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>
      const exps = (await call('experiments/search', { view_type: 'ALL' })).experiments as {
        experiment_id: string
        name: string
        lifecycle_stage: string
        creation_time: number
        tags: { key: string; value: string }[]
      }[]
      for (const e of expected.experiments) {
        const got = exps.find((x) => x.name === e.name)
        expect(got, e.name).toBeDefined()
        expect([got?.lifecycle_stage, got?.creation_time]).toEqual([e.lifecycle_stage, e.creation_time])
        expect(Object.fromEntries((got?.tags ?? []).map((x) => [x.key, x.value]))).toEqual(e.tags)
      }
      for (const r of expected.runs) {
        const run = (await call('runs/get', { run_id: r.run_id })).run as Run
        expect(run, r.run_name).toBeDefined()
        const i = run.info
        expect([i.run_id, i.run_name, i.status, i.lifecycle_stage, i.start_time, i.end_time ?? null, i.user_id, i.artifact_uri]).toEqual([
          r.run_id,
          r.run_name,
          r.status,
          r.lifecycle_stage,
          r.start_time,
          r.end_time,
          r.user_id,
          r.artifact_uri,
        ])
        expect(Object.fromEntries(run.data.params.map((p) => [p.key, p.value]))).toEqual(r.params)
        expect(Object.fromEntries(run.data.tags.map((p) => [p.key, p.value]))).toEqual(r.tags)
        expect(run.inputs.dataset_inputs.map((d) => d.dataset.name)).toEqual(r.datasets)
        expect(run.outputs.model_outputs.map((m) => [m.model_id, Number(m.step)])).toEqual(r.outputs)
        for (const [key, points] of Object.entries(r.history)) {
          const h = (await call('metrics/get-history', { run_id: r.run_id, metric_key: key })).metrics as {
            step: number
            value: number | string
            timestamp: number
          }[]
          type P = [number, number | string, number]
          const byStep = (a: P, b: P) => a[0] - b[0] || a[2] - b[2]
          const got = h.map((m): P => [m.step, m.value, m.timestamp]).sort(byStep)
          expect(got).toEqual(points.map(([s, v, ts]): P => [s, asLogged(v), ts]).sort(byStep))
        }
      }
      // params are MLflow's text, byte for byte; deleted runs are in the trash; artifacts are file records
      const parent = db.getExperiment('parent')
      expect(parent.params).toMatchObject({ lr: '0.01', one: '1.0', big: '12345678901234567890', pad: ' 5 ', flag: 'true' })
      expect(parent.files.filter((f) => f.meta?.mlflowLoggedModel === undefined).map((f) => [f.path.endsWith('/model/weights.txt'), f.size])).toEqual([
        [true, 100],
      ])
      expect(
        db
          .listExperiments({ trashed: true })
          .map((e) => e.name)
          .sort(),
      ).toEqual(['deleted run', 'in gone'])
      expect(db.getTags('child')['mlflow.parentRunId']).toBe(expected.runs.find((x) => x.run_name === 'parent')?.run_id)
      expect(db.listExperiments({ where: "tags.`mlflow.runName` = 'tab\there'" }).map((e) => e.name)).toEqual(['tab\there'])
    } finally {
      db.close()
    }

    const again = mldb(t.home, ['import', store, '--db', t.db])
    expect(again.status).toBe(0)
    expect(again.stderr).toContain(`${expected.runs.length} runs were already imported`)
    const db2 = new Database({ path: t.db })
    try {
      expect(db2.countExperiments({}) + db2.countExperiments({ trashed: true })).toBe(expected.runs.length)
    } finally {
      db2.close()
    }
  }, 300_000)

  it("brings MLflow 3's logged models and the registry as MLflow's client reads them, leaving out what it cannot keep with a line each", async () => {
    const db = new Database({ path: t.db })
    const served = await serveApp(createApp({ db, webRoot: join(t.home, 'no-web') }))
    let got: Models
    try {
      got = await runPy<Models>('make_store.py', ['models', served.url, join(t.home, 'client')])
    } finally {
      await served.close()
      db.close()
    }
    // the logged model whole: id, name, experiment, source run, status, params, tags, artifact location, creation time
    expect(got.logged_models).toEqual(expected.models.logged_models)
    expect(expected.models.logged_models).toHaveLength(1)
    // mldb refuses the name "has space", and keeps no version whose files are not on this machine (s3://), nor an alias of it
    const want = expected.models.registered_models
      .filter((m) => m.name !== 'has space')
      .map((m) => {
        const { elsewhere: _gone, ...aliases } = m.aliases
        const { elsewhere: _too, ...byAlias } = m.by_alias
        return { ...m, aliases, by_alias: byAlias, versions: m.versions.filter((v) => !v.source.startsWith('s3://')) }
      })
    expect(want[0]?.versions.map((v) => v.version)).toEqual(['1', '3'])
    expect(got.registered_models).toEqual(want)

    // the version of the logged model points at its MLmodel, a model file of the source run
    const check = new Database({ path: t.db })
    try {
      const v1 = check.getModelVersion('iris-clf@champion')
      expect([v1.version, v1.exp, v1.path.endsWith('/artifacts/MLmodel')]).toEqual([1, 'parent', true])
      const kinds = check.getFiles('parent').map((f) => [f.path.split('/').slice(-1)[0], f.kind])
      expect(kinds).toEqual(
        expect.arrayContaining([
          ['MLmodel', 'model'],
          ['model.pkl', 'model'],
        ]),
      )
      expect(check.getModelVersion('iris-clf/3').path).toMatch(/\/model\/weights\.txt$/)
    } finally {
      check.close()
    }

    // a third import doubles nothing and says again what it left out
    const again = JSON.parse(ok(t.home, ['import', store, '--db', t.db, '--json'])) as Record<string, unknown>
    expect(again).toMatchObject({ experiments: [], loggedModels: 0, modelVersions: 0, alreadyImportedModels: 1, alreadyImportedVersions: 2 })
    const leftOut = again.leftOut as string[]
    expect(leftOut).toHaveLength(3)
    expect(leftOut.find((l) => l.includes('"has space"'))).toMatch(/may hold only letters/)
    expect(leftOut.find((l) => l.includes('version 2'))).toMatch(/s3:\/\/bucket\/elsewhere\/model/)
    expect(leftOut.find((l) => l.includes('"elsewhere"'))).toMatch(/version 2 was not imported/)
    const after = new Database({ path: t.db })
    try {
      expect(after.listModels().map((m) => [m.name, m.versionCount, m.aliases])).toEqual([['iris-clf', 2, { champion: 1, 'latest-weights': 3 }]])
      expect(after.getFiles('parent')).toHaveLength(3)
    } finally {
      after.close()
    }
  }, 300_000)

  it('copies the artifact bytes with --copy-artifacts: file records point at the copies, with sha256, served to MLflow clients; again doubles nothing', async () => {
    expect(ok(t.home, ['import', '--help'])).toMatch(/--copy-artifacts \[dir\]/)
    const file = join(t.home, `copied-${kind}.db`)
    const out = JSON.parse(ok(t.home, ['import', store, '--db', file, '--copy-artifacts', '--json'])) as Record<string, unknown>
    const root = `${file}-artifacts`
    expect(out).toMatchObject({ copiedFiles: 3, artifacts: root, modelVersions: 2 })
    const db = new Database({ path: file })
    try {
      const files = db.getFiles('parent')
      expect(files).toHaveLength(3)
      for (const f of files) {
        expect(f.path.startsWith(`${root}/`), f.path).toBe(true)
        const bytes = readFileSync(f.path)
        expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
        expect(bytes.equals(readFileSync(f.meta?.mlflowCopiedFrom as string))).toBe(true)
      }
      const parent = expected.runs.find((r) => r.run_name === 'parent')
      const app = createApp({ db, webRoot: join(t.home, 'no-web') })
      const run = (await (await app.request(`/api/2.0/mlflow/runs/get?run_id=${parent?.run_id}`)).json()) as { run: { info: { artifact_uri: string } } }
      const uri = run.run.info.artifact_uri
      expect(uri).toMatch(new RegExp(`^mlflow-artifacts:/\\d+/${parent?.run_id}/artifacts$`))
      const res = await app.request(`/api/2.0/mlflow-artifacts/artifacts/${uri.slice('mlflow-artifacts:/'.length)}/model/weights.txt`)
      expect([res.status, await res.text()]).toEqual([200, 'w'.repeat(100)])
      expect(db.getModelVersion('iris-clf@champion').path.startsWith(`${root}/`)).toBe(true)
    } finally {
      db.close()
    }
    const again = JSON.parse(ok(t.home, ['import', store, '--db', file, '--copy-artifacts', '--json'])) as Record<string, unknown>
    expect(again).toMatchObject({ experiments: [], copiedFiles: 0, loggedModels: 0, modelVersions: 0 })
    const db2 = new Database({ path: file })
    try {
      expect(db2.getFiles('parent')).toHaveLength(3)
    } finally {
      db2.close()
    }
  }, 300_000)

  it.runIf(kind === 'sqlite')('copies into the folder given to --copy-artifacts, and refuses the option for an mldb export file in one line', () => {
    const dir = join(t.home, 'my-artifacts')
    const file = join(t.home, 'custom.db')
    const out = JSON.parse(ok(t.home, ['import', store, '--db', file, '--copy-artifacts', dir, '--json'])) as Record<string, unknown>
    expect(out).toMatchObject({ copiedFiles: 3, artifacts: dir })
    const db = new Database({ path: file })
    try {
      expect(db.getFiles('parent').map((f) => f.path.startsWith(`${dir}/`))).toEqual([true, true, true])
    } finally {
      db.close()
    }
    const csv = join(t.home, 'runs.csv')
    writeFileSync(csv, 'experiment,step,loss\na,0,1\n')
    const r = mldb(t.home, ['import', csv, '--db', join(t.home, 'csv.db'), '--copy-artifacts'])
    expect(r.status).not.toBe(0)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/--copy-artifacts is for MLflow sources/)
  })

  it('exports back with --format mlflow into a store that MLflow reads with the same runs', async () => {
    const out = join(t.home, `exported-${kind}`)
    const r = mldb(t.home, ['export', '--format', 'mlflow', out, '--db', t.db])
    expect(r.status, r.stderr).toBe(0)
    const back = await runPy<Expected>('make_store.py', ['read', out])
    const live = expected.runs.filter((x) => x.lifecycle_stage === 'active')
    expect(back.runs.map((x) => x.run_id).sort()).toEqual(live.map((x) => x.run_id).sort())
    for (const want of live) {
      const got = back.runs.find((x) => x.run_id === want.run_id)
      expect([got?.run_name, got?.status, got?.start_time, got?.end_time, got?.user_id, got?.experiment]).toEqual([
        want.run_name,
        want.status,
        want.start_time,
        want.end_time,
        want.user_id,
        want.experiment,
      ])
      expect(got?.params).toEqual(want.params)
      expect(got?.tags).toEqual(want.tags)
      const norm = (h: Expected['runs'][number]['history']) =>
        Object.fromEntries(
          Object.entries(h).map(([k, pts]) => [
            k,
            pts.map(([s, v, ts]) => [s, asLogged(v), ts]).sort((a, b) => (a[0] as number) - (b[0] as number) || (a[2] as number) - (b[2] as number)),
          ]),
        )
      expect(norm(got?.history ?? {})).toEqual(norm(want.history))
    }
  }, 300_000)
})
