import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { npmMlflow } from './npm-client.js'
import { startMlflowServer } from './server.js'

describe("the npm 'mlflow' client against mldb", () => {
  let server: Awaited<ReturnType<typeof startMlflowServer>>
  beforeAll(async () => {
    npmMlflow('http://127.0.0.1:1')
    server = await startMlflowServer()
  }, 300_000)
  afterAll(() => server?.close())

  it('logs a run that MLflow reads back and mldb sees as its own data', async () => {
    // the client prints every POST body with console.log
    const quiet = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      const { Experiments, Runs, Metrics } = npmMlflow(server.url)
      const { experiment_id } = (await Experiments.create({ name: 'npm-flow' })) as { experiment_id: string }
      const now = 1_700_000_000_000
      const { run } = (await Runs.create({ experiment_id, user_id: 'ts', start_time: now, tags: [{ key: 'mlflow.runName', value: 'from-node' }] })) as {
        run: { info: { run_id: string } }
      }
      const run_id = run.info.run_id
      await Runs.logParameter({ run_id, key: 'lr', value: '0.01' })
      for (let step = 0; step < 4; step++) await Runs.logMetric({ run_id, key: 'train/loss', value: 1 / (step + 1), timestamp: now + step, step })
      await Runs.logBatch({
        run_id,
        metrics: [{ key: 'acc', value: 0.9, timestamp: now, step: 3 }],
        params: [{ key: 'opt', value: 'adam' }],
        tags: [{ key: 'team', value: 'ts' }],
      })
      await Runs.update({ run_id, status: 'FINISHED', end_time: now + 10 })

      const history = (await Metrics.getHistory({ run_id, metric_key: 'train/loss' })) as { metrics: { step: number; value: number }[] }
      expect(history.metrics.map((m) => [m.step, m.value])).toEqual([
        [0, 1],
        [1, 0.5],
        [2, 1 / 3],
        [3, 0.25],
      ])
      const found = (await Runs.search({ experiment_ids: [experiment_id], filter: "params.opt = 'adam' and metrics.acc > 0.5" })) as {
        runs: { info: { run_id: string; status: string; end_time: number } }[]
      }
      expect(found.runs.map((r) => [r.info.run_id, r.info.status, r.info.end_time])).toEqual([[run_id, 'FINISHED', now + 10]])
      const listed = (await Experiments.list()) as { experiments: { name: string }[] }
      expect(listed.experiments.map((e) => e.name)).toContain('npm-flow')
      await expect(Runs.get({ run_id: '0123456789abcdef0123456789abcdef' })).rejects.toThrow(/RESOURCE_DOES_NOT_EXIST/)

      const db = server.db
      expect(db.listExperiments({ project: 'npm-flow' }).map((e) => [e.name, e.status])).toEqual([['from-node', 'COMPLETE']])
      expect(db.getParams('from-node')).toEqual({ lr: '0.01', opt: 'adam' })
      expect(db.getMetricValues('from-node', 'loss', { split: 'train' }).map((p) => p.value)).toEqual([1, 0.5, 1 / 3, 0.25])
      expect(db.getTags('from-node')).toMatchObject({ team: 'ts', 'mlflow.runName': 'from-node' })
    } finally {
      quiet.mockRestore()
    }
  }, 120_000)
})
