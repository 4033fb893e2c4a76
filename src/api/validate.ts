import { ValidationError } from '../errors.js'
import { EXPERIMENT_LIMITS } from '../store/limit-counts.js'
import { isStepCursor, MAX_STEP, MIN_STEP } from '../store/steps.js'
import { JSON_LIMITS } from '../store/stored-json.js'
import { checkJsonText, checkUnicode } from './validate-text.js'

// Control characters make names unprintable in the shell and the dashboard (a newline
// splits a name over two lines of `mldb ls`, an escape drives the terminal).
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u001f\u007f]/
// A tab prints as white space; MLflow's run and experiment names may hold one, so
// experiment and project names (what those import as) keep it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f]/

/**
 * Name lengths (UTF-16 code units), shared by every client (docs/schema.md, "Limits";
 * python/mldb/validate.py). Raised to MLflow's: a metric key holds 250 characters
 * (MAX_ENTITY_KEY_LENGTH), an experiment name 500; a run name of 250 plus the
 * `-<32 hex>` an MLflow run of a taken name gets (src/server/mlflow/wire-rows.ts) fits.
 *
 * @example NAME_LIMITS.series // 250
 */
export const NAME_LIMITS = { experiment: 300, project: 500, series: 250, key: 256, split: 64, status: 64 } as const

function checkName(what: string, value: unknown, max: number, extra?: (v: string) => string | undefined, control = CONTROL): string {
  if (typeof value !== 'string') {
    throw new ValidationError(`${what} must be a string, got ${describe(value)}`, what)
  }
  checkUnicode(what, what, value)
  if (value.trim() === '') throw new ValidationError(`${what} is empty; give it a name such as "TestModel"`, what)
  if (value.length > max) {
    throw new ValidationError(`${what} "${value.slice(0, 40)}..." is ${value.length} characters; the limit is ${max}`, what)
  }
  if (control.test(value)) throw new ValidationError(`${what} ${JSON.stringify(value)} contains control characters; remove them`, what)
  const problem = extra?.(value)
  if (problem) throw new ValidationError(problem, what)
  return value
}

/**
 * A short, printable rendering of any value for error messages. Never throws:
 * BigInts, symbols, cycles and objects whose toString throws all render.
 *
 * @example describe(10n) // '10n'
 */
export function describe(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
    if (typeof value === 'bigint') return `${value}n`
    if (typeof value === 'symbol') return value.toString()
    if (typeof value === 'function') return `a function ${value.name || '(anonymous)'}`
    if (value === undefined) return 'undefined'
    if (typeof value === 'number') return String(value)
    const s = JSON.stringify(value)
    return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 60)}...` : s
  } catch {
    try {
      return Array.isArray(value) ? 'an array' : `an object (${Object.prototype.toString.call(value)})`
    } catch {
      return `a value of type ${typeof value}`
    }
  }
}

/** The message of anything thrown, for wrapping it in a ValidationError. */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : describe(e)
}

export const checkExpName = (v: unknown): string => checkName('experiment name', v, NAME_LIMITS.experiment, undefined, CONTROL_BUT_TAB)
export const checkProjectName = (v: unknown): string => checkName('project name', v, NAME_LIMITS.project, undefined, CONTROL_BUT_TAB)
export const checkSeriesName = (v: unknown): string => checkName('series name', v, NAME_LIMITS.series)
export const checkKey = (what: string, v: unknown): string => checkName(what, v, NAME_LIMITS.key)
/** The canonical statuses; any other text is kept as written. */
export const CANONICAL_STATUSES = ['PENDING', 'TRAINING', 'VALIDATING', 'COMPLETE', 'FAILED', 'KILLED'] as const

/** A status: free text, with the canonical ones matched case-insensitively and stored upper-case. */
export function checkStatus(v: unknown): string {
  const s = checkName('status', v, NAME_LIMITS.status, (x) =>
    x.trim().toUpperCase() === 'LOST' ? 'status LOST is derived from a stopped heartbeat and cannot be set; use FAILED or KILLED' : undefined,
  )
  const upper = s.trim().toUpperCase()
  return (CANONICAL_STATUSES as readonly string[]).includes(upper) ? upper : s
}

/** A split is '' (none), 'train', 'valid', ...; no '/' since filters write `split/name`. */
export function checkSplit(value: unknown): string {
  if (value === undefined || value === null || value === '') return ''
  return checkName('split', value, NAME_LIMITS.split, (s) =>
    s.includes('/') ? `split "${s}" contains "/"; filters address series as split/name, so use another character` : undefined,
  )
}

/**
 * The (name, split) a series is stored under. A name written W&B-style as
 * `train/loss` with no split of its own is stored as split `train`, name `loss`:
 * every reader (filters, `best`, the dashboard) addresses a series as
 * `split/name`, so a `/` inside a split-less name would make it unreachable.
 * Written in docs/schema.md (Series names); python/mldb/validate.py does the same.
 *
 * @example seriesParts('train/loss', '') // ['loss', 'train']
 */
export function seriesParts(name: string, split: string): [name: string, split: string] {
  if (split !== '') return [name, split]
  const slash = name.indexOf('/')
  if (slash <= 0 || slash === name.length - 1 || slash > 64) return [name, split]
  return [name.slice(slash + 1), name.slice(0, slash)]
}

/**
 * A step is the epoch or iteration: any safe integer, negative ones included
 * (MLflow logs step -1 for an evaluation before training; src/store/steps.ts).
 */
export function checkStep(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError(`step must be an integer from ${MIN_STEP} to ${MAX_STEP} (the epoch or iteration), got ${describe(value)}`, 'step')
  }
  return value
}

/** An optional cursor field such as afterStep: a step, or BEFORE_FIRST_STEP (the default, "from the start"). */
export const optStepCursor: FieldCheck = (v, what) => {
  if (v !== undefined && !isStepCursor(v)) {
    throw new ValidationError(`${what} must be an integer step (omit it to start before the first step), got ${describe(v)}`, what)
  }
}

/** A value is any JS number, NaN and ±Infinity included. */
export function checkValue(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new ValidationError(`value of "${name}" must be a number (NaN and Infinity allowed), got ${describe(value)}`, 'value')
  }
  return value
}

/**
 * A param value (or file meta) as JSON text, within JSON_LIMITS: it must survive
 * a JSON round trip unchanged. `what` names it in errors, as `param "lr"`.
 *
 * @example toJsonValue('hidden', [64, 64]) // '[64,64]'
 */
export function toJsonValue(key: string, value: unknown, what = `param "${key}"`): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new ValidationError(`${what} has a value of type ${typeof value}; use a JSON value (number, string, boolean, null, array, object)`, key)
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ValidationError(`${what} is ${value}; JSON cannot hold NaN or Infinity, store it as a string`, key)
  }
  checkShape(key, value, what)
  checkJsonText(what, key, value)
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (e) {
    throw new ValidationError(`${what} cannot be stored as JSON: ${(e as Error).message}`, key)
  }
  if (text === undefined) throw new ValidationError(`${what} has no JSON form; use a JSON value (number, string, boolean, null, array, object)`, key)
  const bytes = Buffer.byteLength(text)
  if (bytes > JSON_LIMITS.maxBytes) {
    throw new ValidationError(`${what} is ${bytes} bytes as JSON; the limit is ${JSON_LIMITS.maxBytes}, so keep large data in a file (addFile)`, key)
  }
  return text
}

/**
 * Depth and item count of a value, walked without recursion and stopped at the
 * first limit passed, so a 1,000,000-key or cyclic value costs little to refuse.
 */
function checkShape(key: string, value: unknown, what: string): void {
  let items = 0
  const stack: [unknown, number][] = [[value, 1]]
  try {
    for (let next = stack.pop(); next; next = stack.pop()) {
      const [v, depth] = next
      if (typeof v !== 'object' || v === null) continue
      if (depth > JSON_LIMITS.maxDepth) {
        throw new ValidationError(`${what} is nested over ${JSON_LIMITS.maxDepth} levels deep; the limit is ${JSON_LIMITS.maxDepth}, so flatten it`, key)
      }
      const children = Array.isArray(v) ? v : Object.values(v)
      items += children.length
      if (items > JSON_LIMITS.maxItems) {
        throw new ValidationError(
          `${what} has over ${JSON_LIMITS.maxItems} keys and items; the limit is ${JSON_LIMITS.maxItems}, so keep large data in a file (addFile)`,
          key,
        )
      }
      for (const c of children) stack.push([c, depth + 1])
    }
  } catch (e) {
    if (e instanceof ValidationError) throw e
    throw new ValidationError(`${what} cannot be stored as JSON: ${describeError(e)}`, key)
  }
}

/** A plain object of key → value, as setParams and setTags take. */
export function checkRecord(what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${what} must be an object such as { lr: 0.01 }, got ${describe(value)}`, what)
  }
  return value as Record<string, unknown>
}

/** A tag value as text: a string, or a number/boolean written with String(). */
export function checkTagValue(key: string, value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new ValidationError(`tag "${key}" must be a string, number or boolean, got ${describe(value)}`, key)
  }
  const text = checkUnicode(`tag "${key}"`, key, String(value))
  const bytes = Buffer.byteLength(text)
  if (bytes > EXPERIMENT_LIMITS.tagBytes) {
    throw new ValidationError(`tag "${key}" is ${bytes} bytes; the limit is ${EXPERIMENT_LIMITS.tagBytes}, so keep long text in the notes or a file`, key)
  }
  return text
}

/** After a write's inserts: refuses (and so rolls back) more params or tags than an experiment may hold. */
export function checkRowCount(count: number, what: 'params' | 'tags', exp: string): void {
  const limit = EXPERIMENT_LIMITS[what]
  if (count > limit) {
    throw new ValidationError(
      `experiment "${exp}" would have ${count} ${what}; the limit is ${limit} per experiment, so keep large data in a file (addFile)`,
      what,
    )
  }
}

/** Checks one field of an options object; `what` is its name as the caller wrote it, e.g. `options.limit`. */
export type FieldCheck = (value: unknown, what: string) => void

/** An optional string field. */
export const optString: FieldCheck = (v, what) => {
  if (v !== undefined && typeof v !== 'string') throw new ValidationError(`${what} must be a string, got ${describe(v)}`, what)
}

/** An optional boolean field. */
export const optBool: FieldCheck = (v, what) => {
  if (v !== undefined && typeof v !== 'boolean') throw new ValidationError(`${what} must be true or false, got ${describe(v)}`, what)
}

/** An optional integer field of at least `min`. */
export const optInt =
  (min: number): FieldCheck =>
  (v, what) => {
    if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)) {
      throw new ValidationError(`${what} must be an integer >= ${min}, got ${describe(v)}`, what)
    }
  }

/** An optional finite number field. */
export const optFinite: FieldCheck = (v, what) => {
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw new ValidationError(`${what} must be a finite number, got ${describe(v)}`, what)
}

/**
 * The options argument of a public method: undefined or a plain object whose
 * listed fields pass their checks. Why: `options = null`, `{ limit: 1.5 }` or
 * `{ where: 42 }` would otherwise fail deep inside as a TypeError or SqliteError.
 *
 * @example checkOptions('getMetricValues', options, { split: optString, limit: optInt(0) })
 */
export function checkOptions(method: string, options: unknown, fields: Record<string, FieldCheck> = {}): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`the options of ${method} must be an object such as {}, got ${describe(options)}`, 'options')
  }
  for (const [key, check] of Object.entries(fields)) {
    let value: unknown
    try {
      value = (options as Record<string, unknown>)[key]
    } catch (e) {
      throw new ValidationError(`options.${key} of ${method} cannot be read: ${describeError(e)}`, key)
    }
    check(value, `options.${key} of ${method}`)
  }
}

/** What listExperiments and countExperiments take (ListOptions), checked. */
export function checkListOptions(method: string, options: unknown): void {
  checkOptions(method, options, {
    project: optString,
    status: optString,
    name: optString,
    where: optString,
    orderBy: optString,
    limit: optInt(0),
    offset: optInt(0),
    trashed: optBool,
    ids: (v, what) => {
      if (v !== undefined && (!Array.isArray(v) || !v.every((id) => Number.isSafeInteger(id)))) {
        throw new ValidationError(`${what} must be an array of experiment ids, got ${describe(v)}`, what)
      }
    },
  })
}

/** A series key such as `valid/loss`: a string. */
export function checkSeriesKey(what: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(`${what} must be a string such as 'valid/loss', got ${describe(value)}`, what)
  return value
}

/** A field of any type that the method checks itself; listed so that reading it is checked. */
export const optAny: FieldCheck = () => {}
