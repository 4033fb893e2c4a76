import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { ValidationError } from '../errors.js'

/** A `meta.yaml` of MLflow's file store (`mlruns/`): an experiment's, a run's, a model's or a version's. */
export type Meta = Record<string, unknown>

/**
 * Reads one `meta.yaml` of an `mlruns/` folder; a file that is not YAML or not a
 * mapping is the caller's input at fault, a ValidationError naming the file.
 *
 * @example const exp = readMeta(join(expDir, 'meta.yaml'))
 */
export function readMeta(file: string): Meta {
  try {
    const m = parseYaml(readFileSync(file, 'utf8')) as unknown
    if (typeof m !== 'object' || m === null) throw new Error('not a mapping')
    return m as Meta
  } catch (e) {
    throw new ValidationError(`${file} is not a readable MLflow meta.yaml (${(e as Error).message})`, 'file')
  }
}
