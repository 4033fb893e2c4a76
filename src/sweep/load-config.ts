import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { ValidationError } from '../errors.js'

/**
 * Reads a W&B-style sweep file (YAML or JSON; JSON is YAML). Integers are
 * told apart from floats here, while the text still shows them: a parameter
 * with integer `min` and `max` and no `distribution` becomes `int_uniform`,
 * as in W&B, and `min: 0.0` stays a float.
 *
 * @example const raw = loadSweepFile('sweep.yaml'); db.createSweep(raw)
 */
export function loadSweepFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new ValidationError(`cannot read the sweep file ${path}: ${(e as Error).message}`, 'file')
  }
  return parseSweepText(text, path)
}

/** Parses the text of a sweep file; see loadSweepFile. */
export function parseSweepText(text: string, source = 'sweep config'): Record<string, unknown> {
  let raw: unknown
  try {
    raw = parse(text, { intAsBigInt: true })
  } catch (e) {
    // the parser's first line ends "at line 4, column 1:" before a code frame this one line leaves out
    throw new ValidationError(`${source} is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]?.replace(/:\s*$/, '')}`, 'file')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError(`${source} must hold a mapping such as "method: bayes"`, 'file')
  return annotate(raw) as Record<string, unknown>
}

function annotate(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v)
  if (Array.isArray(v)) return v.map(annotate)
  if (typeof v !== 'object' || v === null) return v
  const o = v as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(o)) out[k] = annotate(x)
  if (o.distribution === undefined && typeof o.min === 'bigint' && typeof o.max === 'bigint' && !('values' in o) && !('value' in o))
    out.distribution = 'int_uniform'
  return out
}
