// Listing and filtering 10,000 experiments with params and 5 series each.
import { type BatchPoint, Database } from '../src/index.js'
import { lossAt } from './lib/data.js'
import { type Figure, fmt } from './lib/figure.js'
import { medianMs, timeMs } from './lib/measure.js'
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
  const listMs = medianMs(5, () => void db.listExperiments())
  const filterMs = medianMs(5, () => void db.listExperiments({ where: WHERE }))
  const narrow = db.listExperiments({ where: WHERE_NARROW }).length
  const narrowMs = medianMs(5, () => void db.listExperiments({ where: WHERE_NARROW }))

  // Baseline: the same rows through three plain queries, no filter language, no objects built.
  const plain = [
    db.sqlite.prepare('SELECT e.*, p.name AS project FROM experiments e JOIN projects p ON p.id = e.project_id ORDER BY e.created_at DESC').raw(),
    db.sqlite.prepare('SELECT experiment_id, key, value FROM params').raw(),
    db.sqlite.prepare('SELECT * FROM series ORDER BY experiment_id, split, name').raw(),
  ]
  const plainMs = medianMs(5, () => {
    for (const s of plain) s.all()
  })
  const ok5 = listed.length === EXPERIMENTS && listed.every((e) => Object.keys(e.series).length === SERIES.length)
  return [
    {
      key: 'list_10k_ms',
      label: `listExperiments() of ${fmt(EXPERIMENTS)} experiments x ${SERIES.length} series + 5 params (median of 5)`,
      value: listMs,
      unit: 'ms',
      target: '<= 100',
      pass: listMs <= 100 && ok5,
      baseline: `plain SQL, same rows: ${fmt(plainMs, 1)} ms`,
      extra: { list_10k_plain_sql_ms: plainMs, list_10k_build_ms: buildMs },
    },
    {
      key: 'filter_10k_ms',
      label: `listExperiments({ where: "${WHERE}" }) -> ${fmt(filtered.length)} (median of 5)`,
      value: filterMs,
      unit: 'ms',
      target: '<= 100',
      pass: filterMs <= 100 && filtered.length > 0 && filtered.length < EXPERIMENTS,
      baseline: `narrower (${fmt(narrow)} matches): ${fmt(narrowMs, 1)} ms; 10k file built in ${fmt(buildMs / 1000, 1)} s`,
      extra: { filter_10k_matches: filtered.length, filter_10k_narrow_ms: narrowMs, filter_10k_narrow_matches: narrow },
    },
  ]
}
