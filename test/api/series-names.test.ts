import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'

// W&B-style keys: `run.log({ 'train/loss': x })` with no split must be reachable
// as `train/loss` by every reader, which addresses series as split/name.
const t = tempDir('mldb-series-names-')
afterAll(() => t.cleanup())

describe('a split-less series name with a slash', () => {
  it('is stored as split/name, so filters, best, downsample and reads find it', () => {
    using db = new Database({ path: join(t.dir, 'wb.db') })
    const run = db.startRun({ name: 'wb', handleExit: false })
    for (let step = 0; step < 5; step++) run.log({ 'train/loss': 1 / (step + 1), 'valid/acc': step / 10 }, { step })
    db.addMetricValue('wb', 'eval/f1', 0, 0.5)
    run.finish()

    const [e] = db.listExperiments({ where: 'metrics.train/loss < 0.3' })
    expect(e?.name).toBe('wb')
    expect(Object.keys(e?.series ?? {}).sort()).toEqual(['eval/f1', 'train/loss', 'valid/acc'])
    expect(db.bestExperiment('valid/acc', 'max')?.best).toBe(0.4)
    expect(db.getMetricValues('wb', 'train/loss').map((p) => p.value)).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])
    expect(db.getMetricValues('wb', 'loss', { split: 'train' })).toHaveLength(5)
    expect(db.downsample('wb', 'eval/f1', { buckets: 10 })).toHaveLength(1)
  })

  it('keeps a name with a split of its own as written', () => {
    using db = new Database({ path: join(t.dir, 'split.db') })
    db.addMetricValue('e', 'a/b', 0, 1, { split: 'train' })
    expect(Object.keys(db.listExperiments()[0]?.series ?? {})).toEqual(['train/a/b'])
  })

  it('still reads a split-less a/b series written before names were split', () => {
    const path = join(t.dir, 'old.db')
    {
      using db = new Database({ path })
      db.addMetricValue('old', 'loss', 0, 0.7, { split: 'train' })
      // what an older mldb stored for addMetricValue('old', 'train/loss', ...)
      db.sqlite.prepare("UPDATE series SET name = 'train/loss', split = '' WHERE name = 'loss'").run()
    }
    using db = new Database({ path })
    expect(db.getMetricValues('old', 'train/loss').map((p) => p.value)).toEqual([0.7])
  })
})
