import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { tempDir } from '../helpers/tmp.js'
import { type Query, tsListing } from './lib/listing.js'
import { runPython } from './lib/python.js'

const tmp = tempDir('mldb-py-filter-')
afterAll(() => tmp.cleanup())

// Filters from test/api/listing.test.ts and the README, plus quoting, dates and errors.
// None depends on the TRAINING experiment turning LOST, so a slow machine cannot flip them.
const QUERIES: Query[] = [
  { where: "params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'" },
  { where: "params.optimizer = 'adam'" },
  { where: "params.optimizer in ('sgd') or tags.team = 'vision'" },
  { where: 'min(metrics.valid/loss) <= 0.2' },
  { where: 'max(metrics.valid/loss) >= 1' },
  { where: "not project = 'iris'" },
  { where: 'tags.team is null and params.lr >= 0.1' },
  { where: "name like 'a%'" },
  { where: 'metrics.train/loss < 0.2 and (params.lr = 0.01 or params.lr = 0.05)' },
  { where: 'params.optimizer > 0' },
  { where: "status = 'complete'" },
  { where: 'metrics.genauigkeit_ü = -inf' },
  { where: 'metrics.`top-1 acc` > 0.6' },
  { where: "name = 'x'' OR 1=1 --'" },
  { where: "min(metrics.valid/loss) < 0.2 or (params.optimizer in ('adam', 'sgd') and not tags.team = 'x')" },
  { where: "name like 'a%' and duration > -1 and started > '2000-08-01'" },
  { where: "created >= '2000-01-01T00:00:00Z' and tags.team != 'x' and count(metrics.rmse) = 1" },
  // tags are text: an unquoted value is compared as written, so 1e0 is not '1'
  { where: 'tags.flag = true or tags.flag = 1 or tags.flag = 1e0' },
  { where: 'params.optimizer not in ("sgd") and metrics.rmse is not null' },
  // short forms resolve against the file, the same in both clients
  { where: 'lr < 0.1 and valid/loss < 0.3' },
  { where: "min(valid/loss) <= 0.2 or optimizer = 'sgd'" },
  { order_by: 'valid/loss desc', limit: 3 },
  // ISO 8601 dates, UTC without an offset
  { where: "created > '2000-08-01 10:00' and created < '2999-01-01T00:00+02:00'" },
  { order_by: 'metrics.valid/loss' },
  { order_by: 'params.lr desc', limit: 2 },
  { where: "project = 'iris'", order_by: 'min(metrics.valid/loss) DESC' },
  { best: 'valid/loss', mode: 'min' },
  { best: 'valid/loss', mode: 'min', where: "status = 'COMPLETE'" },
  { best: 'top-1 acc', mode: 'max' },
  { best: 'genauigkeit_ü', mode: 'min' },
  // errors: same message, same column
  { where: 'params.lr < 0.1 and and' },
  { where: 'params.lr < 0.1; DROP TABLE experiments' },
  { where: 'bogus = 1' },
  { where: "name = 'abc" },
  { where: "name = '\u{1F600}' and ?" },
  { where: 'params.lr < ' },
  { where: 'metrics.x < 1 or' },
  { where: "params.lr in (1, 'a')" },
  { where: 'params.lr = null' },
  { where: "created > 'yesterday'" },
  { where: 'notparams.`x` = 1' },
  { where: "created > 'Aug 3 2026'" },
  { where: 'lr < 1 and lrx = 2' },
  { where: `${'('.repeat(40)}lr = 1${')'.repeat(40)}` },
  { where: 'lr = 1 or '.repeat(300) },
  { order_by: 'params.lr sideways' },
]

it('both clients list the same experiments for the same filter, from the same SQL', () => {
  const path = join(tmp.dir, 'm.db')
  let ts: Record<string, unknown>[]
  {
    using db = new Database({ path })
    const configs = [
      { name: 'a', lr: 0.01, opt: 'adam', valid: [0.9, 0.5, 0.25], status: 'COMPLETE', project: 'iris' },
      { name: 'b', lr: 0.1, opt: 'sgd', valid: [0.8, 0.4, 0.35], status: 'COMPLETE', project: 'iris' },
      { name: 'c', lr: 0.5, opt: 'adam', valid: [0.7, 0.2, 0.6], status: 'FAILED', project: 'iris' },
      { name: 'd', lr: 0.05, opt: 'sgd', valid: [1, 0.9, 0.1], status: 'TRAINING', project: 'mnist' },
    ]
    for (const c of configs) {
      db.setExpStatus(c.name, c.status, { project: c.project })
      db.setParams(c.name, { lr: c.lr, optimizer: c.opt })
      c.valid.forEach((v, step) => {
        db.addLossValue(c.name, 'valid', step, v)
        db.addLossValue(c.name, 'train', step, v / 2)
      })
      db.addMetricValue(c.name, 'rmse', 0, c.lr * 10)
    }
    db.setTags('a', { team: 'vision', flag: '1' })
    db.setTags('b', { flag: 'true' })
    db.addMetricValue('u', 'genauigkeit_ü', 0, Number.NEGATIVE_INFINITY)
    db.addMetricValue('u', 'top-1 acc', 0, 0.75)
    db.addMetricValue('v', 'top-1 acc', 0, 0.5)
    const file = new BetterSqlite3(path, { readonly: true })
    ts = QUERIES.map((q) => tsListing(db, file, q))
    file.close()
  }
  // the fixture must make the filters discriminate, or agreeing would prove little
  expect(ts[0]).toMatchObject({ names: ['a'] })
  expect(ts[8]).toMatchObject({ names: ['d', 'a'] })
  expect(ts[19]).toMatchObject({ names: ['d', 'a'] })
  expect(ts[17]).toMatchObject({ names: ['b', 'a'] })
  expect(ts.filter((r) => 'names' in r && (r.names as string[]).length > 0).length).toBeGreaterThanOrEqual(15)
  expect(ts.filter((r) => 'error' in r).length).toBe(16)
  const py = JSON.parse(runPython(['listings', path], JSON.stringify(QUERIES)).stdout) as Record<string, unknown>[]
  QUERIES.forEach((q, i) => {
    expect({ q, r: py[i] }).toEqual({ q, r: ts[i] })
  })
})
