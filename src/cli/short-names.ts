// One rule for the short names of `mldb ls --columns` and `--sort` (`lr`,
// `valid/loss`, `batch size`): the filter language's (docs/schema.md, "Short
// forms"), judged on the whole file, trashed experiments included, as `--where`
// judges `lr`. Judging on the listed rows instead made `--columns lr` take a
// param that `--sort lr` refused as ambiguous because of another project's run.

import { ValidationError } from '../errors.js'
import { quoteKey } from '../query/text.js'
import type { Reader } from './reader.js'

export type ShortKind = 'params' | 'metrics'

/** Whether some experiment, live or trashed, matches `where`: the first match ends the scan. */
async function anyMatch(db: Reader, where: string): Promise<boolean> {
  for (const trashed of [false, true]) if ((await db.listExperiments({ where, trashed }, 1)).length > 0) return true
  return false
}

/** Whether some experiment of the file has the series `key` (`split/name`), as the store's lookup for `min(valid/loss)`. */
export async function fileHasSeries(db: Reader, key: string): Promise<boolean> {
  // count(...) is not null holds for every series row, empty or not, as the store's has-series lookup does
  return anyMatch(db, `count(metrics.${quoteKey(key)}) is not null`)
}

/**
 * What a short name means in this file: a param or a series. A name that is
 * both or neither is refused as the filter language refuses it, in one line
 * that names `option`, with exit status 1 as every `--where` error.
 *
 * @example await shortKind(db, '--columns', 'lr') // 'params'
 */
export async function shortKind(db: Reader, option: '--columns' | '--sort', key: string): Promise<ShortKind> {
  const param = await anyMatch(db, `params.${quoteKey(key)} is not null`)
  const series = await fileHasSeries(db, key)
  const q = quoteKey(key)
  const field = option.slice(2)
  if (param && series) throw new ValidationError(`${option}: "${key}" is ambiguous: it names params.${q} and metrics.${q}; write one of them`, field)
  if (!param && !series)
    throw new ValidationError(`${option}: unknown field "${key}": no param or series has that name; write params.${q} or metrics.${q}`, field)
  return param ? 'params' : 'metrics'
}
