// Which recorded files go with a best value: the checkpoint saved at (or just
// before) the best step, and the final model beside it. `mldb best` used to
// print only the final model, which is not the one that reached the best value.
import type { FileRecord } from '../store/types.js'

/** The files of an experiment that hold weights. */
const WEIGHT_KINDS = new Set(['model', 'checkpoint'])

/** The best step's file and the final model file; either may be missing. */
export interface BestFiles {
  /** the model or checkpoint recorded at the best step, or the nearest step before it */
  bestFile: FileRecord | null
  /** the model file recorded last (highest step; a file without a step counts as the last) */
  finalFile: FileRecord | null
}

/** Orders files by step (no step last: a model saved without one is the final save), then as recorded. */
function byStepThenRecorded(a: FileRecord, b: FileRecord): number {
  const sa = a.step ?? Number.POSITIVE_INFINITY
  const sb = b.step ?? Number.POSITIVE_INFINITY
  return sa - sb || a.createdAt - b.createdAt || a.id - b.id
}

/**
 * Picks, from an experiment's files, the model or checkpoint recorded at or
 * nearest before `step` and the final model (a `checkpoint` when no file is of
 * kind `model`). With no best step, only the final file is known.
 *
 * @example pickBestFiles(db.getFiles('exp'), 80).bestFile?.path // '/runs/exp/checkpoint-0080.json'
 */
export function pickBestFiles(files: readonly FileRecord[], step: number | null): BestFiles {
  const weights = files.filter((f) => WEIGHT_KINDS.has(f.kind)).sort(byStepThenRecorded)
  let bestFile: FileRecord | null = null
  if (step !== null) for (const f of weights) if (f.step !== null && f.step <= step) bestFile = f
  const models = weights.filter((f) => f.kind === 'model')
  const finalFile = (models.length ? models : weights).at(-1) ?? null
  return { bestFile, finalFile }
}
