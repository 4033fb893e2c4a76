// Listing and filtering 10,000 experiments with params and 5 series each.
import { type BatchPoint, Database } from '../src/index.js'
import { lossAt } from './lib/data.js'
import { type Figure, fmt } from './lib/figure.js'
import { median, timeMs } from './lib/measure.js'
import { tempDir } from './lib/temp.js'

const EXPERIMENTS = 10_000
const STEPS = 10
const SERIES: [string, string][] = [
  ['loss', 'train'],
  ['loss', 'valid'],
  ['acc', 'train'],
  ['acc', 'valid'],
  ['lr', ''],
]
/** A param condition and a metric condition, as a user filters a sweep. */
const WHERE = "params.lr < 0.005 and metrics.valid/loss < 1.0 and status = 'COMPLETE'"
/** The same shape, matching ~30% instead of ~60%: how much of the cost is building the result. */
const WHERE_NARROW = "params.lr < 0.0002 and metrics.valid/loss < 1.0 and status = 'COMPLETE'"

/** Fills the file: per experiment setParams, one logBatch of 5 series x 10 steps, a final status. */
function build(db: Database): void {
  for (let i = 0; i < EXPERIMENTS; i++) {
    const exp = `sweep_${String(i).padStart(5, '0')}`
    const lr = 10 ** -(1 + (i % 40) / 10)
    db.setParams(exp, { lr, batch_size: 32 << (i % 4), optimizer: i % 3 ? 'adam' : 'sgd', hidden: [64, 64], seed: i })
    const points: BatchPoint[] = []
    for (let step = 0; step < STEPS; step++) {
      for (const [name, split] of SERIES) points.push({ name, split, step, value: name === 'lr' ? lr : lossAt(step * 20_000, i) })
    }
    db.logBatch(exp, points)
    db.setExpStatus(exp, i % 10 === 0 ? 'FAILED' : 'COMPLETE')
  }
}

/** list_10k_ms and filter_10k_ms, each the median of several, beside plain SQL reading the same rows. */
export function runListingBench(): Figure[] {
  using dir = tempDir('listing')
  using db = new Database({ path: dir.file('ten-thousand.db') })
  const buildMs = timeMs(() => build(db))
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)')

  const listed = db.listExperiments()
  const filtered = db.listExperiments({ where: WHERE })
  const narrow = db.listExperiments({ where: WHERE_NARROW }).length

  // Baseline: the same rows through three plain queries, no filter language, no objects built.
  const plain = [
    db.sqlite.prepare('SELECT e.*, p.name AS project FROM experiments e JOIN projects p ON p.id = e.project_id ORDER BY e.created_at DESC').raw(),
    db.sqlite.prepare('SELECT experiment_id, key, value FROM params').raw(),
    db.sqlite.prepare('SELECT * FROM series ORDER BY experiment_id, split, name').raw(),
  ]
  // Taking turns, so a burst of load on a shared machine hits each figure alike.
  const times: Record<'list' | 'filter' | 'narrow' | 'plain', number[]> = { list: [], filter: [], narrow: [], plain: [] }
  for (let r = 0; r < 7; r++) {
    times.list.push(timeMs(() => void db.listExperiments()))
    times.plain.push(
      timeMs(() => {
        for (const s of plain) s.all()
      }),
    )
    times.filter.push(timeMs(() => void db.listExperiments({ where: WHERE })))
    times.narrow.push(timeMs(() => void db.listExperiments({ where: WHERE_NARROW })))
  }
  const listMs = median(times.list)
  const filterMs = median(times.filter)
  const narrowMs = median(times.narrow)
  const plainMs = median(times.plain)
  const ok5 = listed.length === EXPERIMENTS && listed.every((e) => Object.keys(e.series).length === SERIES.length)
  return [
    {
      key: 'list_10k_ms',
      label: `listExperiments() of ${fmt(EXPERIMENTS)} experiments x ${SERIES.length} series + 5 params (median of 7)`,
      value: listMs,
      unit: 'ms',
      target: '<= 0.5 x plain SQL (<= 100 quiet)',
      pass: listMs <= 0.5 * plainMs && ok5,
      baseline: `plain SQL, same rows: ${fmt(plainMs, 1)} ms (${fmt(listMs / plainMs, 2)}x)`,
      extra: { list_10k_plain_sql_ms: plainMs, list_10k_over_plain: listMs / plainMs, list_10k_build_ms: buildMs },
    },
    {
      key: 'filter_10k_ms',
      label: `listExperiments({ where: "${WHERE}" }) -> ${fmt(filtered.length)} (median of 7)`,
      value: filterMs,
      unit: 'ms',
      target: '<= 100',
      pass: filterMs <= 100 && filtered.length > 0 && filtered.length < EXPERIMENTS,
      baseline: `narrower (${fmt(narrow)} matches): ${fmt(narrowMs, 1)} ms; 10k file built in ${fmt(buildMs / 1000, 1)} s`,
      extra: { filter_10k_matches: filtered.length, filter_10k_narrow_ms: narrowMs, filter_10k_narrow_matches: narrow },
    },
  ]
}
