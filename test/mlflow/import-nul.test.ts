// MLflow's stores can hold a U+0000 that mldb refuses in every stored text (docs/schema.md
// Limits). docs/mlflow.md promises that what mldb cannot keep is left out with one report
// line and the rest imports: a run's param, tag and run name, an experiment's tag and a
// model version's tag (name or value) holding one are left out, each said once on stderr.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { buildCli, mldb, tempHome } from '../cli/helpers.js'

const RUN = 'aaaabbbbccccdddd0000111122223333'

/** A hand-built mlflow.db (as import-old-schema.test.ts builds one) whose texts hold NULs. */
function nulStore(path: string, artifacts: string): void {
  const db = new BetterSqlite3(path)
  db.exec(`
    CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
    INSERT INTO alembic_version VALUES ('cfd24bdc0731');
    CREATE TABLE experiments (experiment_id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL UNIQUE, artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32));
    CREATE TABLE experiment_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), experiment_id INTEGER NOT NULL);
    CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500), entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT, source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER);
    CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, timestamp BIGINT NOT NULL, run_uuid VARCHAR(32) NOT NULL, step BIGINT DEFAULT '0' NOT NULL);
    CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(250) NOT NULL, run_uuid VARCHAR(32) NOT NULL);
    CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), run_uuid VARCHAR(32) NOT NULL);
    CREATE TABLE registered_models (name VARCHAR(256) NOT NULL PRIMARY KEY, creation_time BIGINT, last_updated_time BIGINT, description VARCHAR(5000));
    CREATE TABLE model_versions (name VARCHAR(256) NOT NULL, version INTEGER NOT NULL, creation_time BIGINT, last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256), current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32), status VARCHAR(20), status_message VARCHAR(500), run_link VARCHAR(500), storage_location VARCHAR(500));
    CREATE TABLE model_version_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000), name VARCHAR(256) NOT NULL, version INTEGER NOT NULL);
    INSERT INTO experiments VALUES (0, 'Default', './mlruns/0', 'active'), (1, 'old', './mlruns/1', 'active');
    INSERT INTO experiment_tags VALUES ('owner', 'a' || char(0) || 'nn', 1), ('lab', 'north', 1);
    INSERT INTO runs VALUES ('${RUN}', 'ad' || char(0) || 'am', 'LOCAL', 'train.py', '', 'ann', 'FINISHED', 1600000000000, 1600000005000, '', 'active', '${artifacts}', 1);
    INSERT INTO metrics VALUES ('loss', 0.5, 1600000001000, '${RUN}', 0), ('ac' || char(0) || 'c', 0.9, 1600000001000, '${RUN}', 0), ('ac' || char(0) || 'c', 0.8, 1600000002000, '${RUN}', 1);
    INSERT INTO params VALUES ('lr', '1e-3', '${RUN}'), ('opt', 'ad' || char(0) || 'am', '${RUN}');
    INSERT INTO tags VALUES ('team', 'vi' || char(0) || 'sion', '${RUN}'), ('k' || char(0), 'v', '${RUN}'), ('lab', 'north', '${RUN}');
    INSERT INTO registered_models VALUES ('iris', 1600000006000, 1600000006000, 'first');
    INSERT INTO model_versions VALUES ('iris', 1, 1600000006000, 1600000006000, '', 'ann', 'None', 'runs:/${RUN}/model', '${RUN}', 'READY', NULL, '', NULL);
    INSERT INTO model_version_tags VALUES ('stage', 'x' || char(0), 'iris', 1), ('s' || char(0), 'y', 'iris', 1), ('good', '1', 'iris', 1);
  `)
  db.close()
}

describe('mldb import of an mlflow.db holding U+0000', () => {
  const t = tempHome()
  beforeAll(() => buildCli())
  afterAll(() => t.cleanup())

  it('leaves out each param, tag, metric, run name, experiment tag and version tag holding one, with a line each; the rest imports', async () => {
    const artifacts = join(t.home, 'mlruns', '1', RUN, 'artifacts')
    mkdirSync(join(artifacts, 'model'), { recursive: true })
    writeFileSync(join(artifacts, 'model', 'MLmodel'), 'flavors: {}\n')
    const store = join(t.home, 'mlflow.db')
    nulStore(store, artifacts)
    const r = mldb(t.home, ['import', store, '--db', t.db])
    expect(r.status, r.stderr).toBe(0)
    const nul = 'contains U\\+0000 \\(NUL\\)'
    for (const line of [
      `run ${RUN}: run name "ad\\\\u0000am" left out \\(the experiment is named by the run id\\): it ${nul}`,
      `run ${RUN}: param "opt" left out: it ${nul}`,
      `run ${RUN}: tag "team" left out: it ${nul}`,
      `run ${RUN}: metric "ac\\\\u0000c" left out: its name ${nul}`,
      `run ${RUN}: tag "k\\\\u0000" left out: it ${nul}`,
      `experiment "old": tag "owner" left out: it ${nul}`,
      `model "iris" version 1: tag "stage" left out: it ${nul}`,
      `model "iris" version 1: tag "s\\\\u0000" left out: it ${nul}`,
    ]) {
      expect(r.stderr).toMatch(new RegExp(`^${line}`, 'm'))
    }
    expect(r.stderr.match(/left out/g)).toHaveLength(8)
    expect(r.stderr).not.toContain('\u0000')

    const db = new Database({ path: t.db, server: '' })
    try {
      const e = db.getExperiment(RUN)
      expect(e.params).toEqual({ lr: '1e-3' })
      expect(e.tags).toEqual({ lab: 'north' })
      expect(db.getMetricValues(RUN, 'loss').map((p) => p.value)).toEqual([0.5])
      expect(db.getSeries(RUN).map((x) => x.key)).toEqual(['loss'])
      expect(db.listModelVersions().map((v) => [v.name, v.version])).toEqual([['iris', 1]])
      // what MLflow's client reads back: the tags that could be kept, no NUL
      const app = createApp({ db, webRoot: join(t.home, 'no-web-build') })
      const get = async (path: string) => JSON.parse(await (await app.request(`/api/2.0/mlflow/${path}`)).text())
      const exp = await get('experiments/get-by-name?experiment_name=old')
      expect(exp.experiment.tags).toEqual(expect.arrayContaining([{ key: 'lab', value: 'north' }]))
      expect(JSON.stringify(exp)).not.toContain('\\u0000')
      const mv = await get('model-versions/get?name=iris&version=1')
      expect(mv.model_version.tags).toEqual([{ key: 'good', value: '1' }])
    } finally {
      db.close()
    }
  })
})
