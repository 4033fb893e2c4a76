// Series looked up by their key (`split/name` or `name`), for `mldb best`.
import { parseSeriesKey } from '../query/filter.js'
import { liveSeriesExists, liveSeriesNames } from '../store/series-lookup.js'
import type { Database } from './database.js'

/** Whether any live experiment has the series `key` (e.g. "valid/loss"). */
export function hasLiveSeries(db: Database, key: string): boolean {
  const { name, split } = parseSeriesKey(key)
  return liveSeriesExists(db.sqlite, name, split)
}

const VALID_SPLITS = /^(valid|validation|val|eval|dev)$/i
const TRAIN_SPLITS = /^train(ing)?$/i

/** How close a series is to what was asked: 0 the same name in another split, 1 the same in another case, 2 one name inside the other. */
function closeness(asked: { name: string; split: string }, s: { name: string; split: string }): number | undefined {
  if (s.name === asked.name) return 0
  const a = asked.name.toLowerCase()
  const b = s.name.toLowerCase()
  if (a === b) return 1
  if (a.length >= 2 && (b.includes(a) || a.includes(b))) return asked.split === '' || asked.split === s.split ? 2 : 3
  return undefined
}

/**
 * Series that exist and are probably what `key` meant (`acc` → `valid/acc`,
 * `train/acc`): the same name in other splits first, validation before train,
 * then names that contain it or that it contains. At most `limit`.
 *
 * @example similarSeries(db, 'acc') // ['valid/acc', 'train/acc']
 */
export function similarSeries(db: Database, key: string, limit = 4): string[] {
  return rankSimilarSeries(liveSeriesNames(db.sqlite), key, limit)
}

/** {@link similarSeries} over a list of (name, split) pairs: the same rule wherever the list comes from (a file, a team server). */
export function rankSimilarSeries(names: readonly { name: string; split: string }[], key: string, limit = 4): string[] {
  const asked = parseSeriesKey(key)
  const splitRank = (split: string) => (VALID_SPLITS.test(split) ? 0 : TRAIN_SPLITS.test(split) ? 1 : split === '' ? 2 : 3)
  return names
    .map((s) => ({ key: s.split ? `${s.split}/${s.name}` : s.name, rank: closeness(asked, s), split: splitRank(s.split) }))
    .filter((s): s is { key: string; rank: number; split: number } => s.rank !== undefined && s.key !== key)
    .sort((a, b) => a.rank - b.rank || a.split - b.split || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, limit)
    .map((s) => s.key)
}
