import { Database } from '../../../src/index.js'

/** The time both clients list at: some experiments are LOST by then, none turns LOST while the test runs. */
export const LIST_AT = Date.UTC(2026, 7, 3, 12, 0, 0)

const DAY = 86_400_000

/**
 * A file for the filter fuzz: experiments spread over 2026 and earlier (so that
 * date comparisons split them), every JSON type of param (big integers, text that
 * looks like numbers, unicode, keys that need quoting), tags, series with NaN and
 * ±Infinity, a name that is both a param and a series (`dup`), statuses that read
 * LOST at LIST_AT, and one experiment in the trash.
 */
export function writeFilterFixture(path: string): void {
  let now = Date.UTC(2000, 1, 29, 23, 59, 59, 500)
  using db = new Database({ path, clock: () => now })
  const at = (ms: number) => {
    now = ms
  }
  const exps: { name: string; when: number; status: string; project?: string; params: Record<string, unknown>; tags?: Record<string, string> }[] = [
    { name: 'a', when: now, status: 'COMPLETE', project: 'iris', params: { lr: 0.01, opt: 'adam', flag: true, layers: [64, 64], big: 2 ** 53 + 2 } },
    { name: 'b', when: Date.UTC(2024, 1, 29, 12), status: 'complete', project: 'iris', params: { lr: 0.1, opt: 'sgd', flag: false, big: 1e21, neg: -0.5 } },
    { name: 'c', when: Date.UTC(2026, 0, 1), status: 'FAILED', project: 'iris', params: { lr: 0.5, opt: 'ADAM', note: '1', 'model.depth': 3 } },
    { name: 'd', when: Date.UTC(2026, 7, 3), status: 'TRAINING', project: 'mnist', params: { lr: 0.05, opt: 'Ädam', 学习率: 0.2, dup: 1 } },
    { name: 'e', when: Date.UTC(2026, 7, 3, 10, 0, 0, 123), status: 'TRAINING', params: { lr: '0.05', opt: null, 'learning rate': 1e-7, 'it`s': 'x' } },
    { name: 'f', when: Date.UTC(2026, 7, 3, 11, 59, 30), status: 'VALIDATING', params: { lr: 1, flag: 'true', 'a b': { k: 1 } }, tags: { team: 'vision' } },
    {
      name: "it's",
      when: Date.UTC(2026, 7, 2, 22, 30),
      status: 'KILLED',
      params: { opt: 'it\'s "quoted"', note: 'héllo ✓' },
      tags: { flag: 'true', n: '1e0' },
    },
    {
      name: '😀',
      when: Date.UTC(1970, 0, 1),
      status: 'custom status',
      project: 'ümlaut',
      params: { lr: -1, neg: -0 },
      tags: { team: 'ADAM', 'with space': '😀' },
    },
    { name: 'A%_', when: Date.UTC(2025, 11, 31, 23, 59, 59, 999), status: 'PENDING', params: { lr: 1.2345678901234567e19 }, tags: { n: '1' } },
    { name: 'gone', when: Date.UTC(2026, 5, 1), status: 'COMPLETE', params: { gross: 1, lr: 0.02 } },
  ]
  for (const [i, x] of exps.entries()) {
    at(x.when)
    db.setExpStatus(x.name, x.status, x.project === undefined ? {} : { project: x.project })
    db.setParams(x.name, x.params)
    if (x.tags) db.setTags(x.name, x.tags)
    db.setNotes(x.name, i % 3 === 0 ? `note ${i}` : '')
    const vals = [0.9 - i / 20, 0.5 - i / 30, i % 4 === 0 ? Number.NaN : 0.25 + i / 50]
    vals.forEach((v, step) => {
      at(x.when + step * 1000)
      if (i % 5 !== 4) db.addLossValue(x.name, 'valid', step, v)
      db.addLossValue(x.name, 'train', step, v / 2)
    })
    if (i % 2 === 0) db.addMetricValue(x.name, 'rmse', 0, i === 0 ? Number.POSITIVE_INFINITY : i * 0.3)
    if (i % 3 === 1) db.addMetricValue(x.name, 'top-1 acc', 0, i / 10)
    if (i === 3) db.addMetricValue(x.name, 'dup', 0, 2)
    if (i === 6) db.addMetricValue(x.name, 'genauigkeit_ü', 0, Number.NEGATIVE_INFINITY)
    if (i % 4 === 2) db.addMetricValue(x.name, 'acc', 0, 0.5, { split: 'valid' })
    // the last sign of life: d's heartbeat is older than a minute at LIST_AT (LOST), e's and f's are not
    if (x.status === 'COMPLETE' || x.status === 'FAILED' || x.status === 'KILLED') {
      at(x.when + 60_000 + i * DAY)
      db.setExpStatus(x.name, x.status)
    }
  }
  at(LIST_AT - 30_000)
  db.heartbeat('f')
  db.addMetricValue('e', 'acc', 3, 0.75)
  at(Date.UTC(2026, 6, 1))
  db.trashExperiment('gone')
}
