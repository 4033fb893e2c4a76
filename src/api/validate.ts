import { ValidationError } from '../errors.js'

// Control characters make names unprintable in the shell and the dashboard.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u001f\u007f]/

function checkName(what: string, value: unknown, max: number, extra?: (v: string) => string | undefined): string {
  if (typeof value !== 'string') {
    throw new ValidationError(`${what} must be a string, got ${describe(value)}`, what)
  }
  if (value.trim() === '') throw new ValidationError(`${what} is empty; give it a name such as "TestModel"`, what)
  if (value.length > max) {
    throw new ValidationError(`${what} "${value.slice(0, 40)}..." is ${value.length} characters; the limit is ${max}`, what)
  }
  if (CONTROL.test(value)) throw new ValidationError(`${what} ${JSON.stringify(value)} contains control characters; remove them`, what)
  const problem = extra?.(value)
  if (problem) throw new ValidationError(problem, what)
  return value
}

/** A short, printable rendering of any value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === undefined) return 'undefined'
  try {
    const s = JSON.stringify(value)
    return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 60)}...` : s
  } catch {
    return String(value)
  }
}

export const checkExpName = (v: unknown): string => checkName('experiment name', v, 256)
export const checkProjectName = (v: unknown): string => checkName('project name', v, 128)
export const checkSeriesName = (v: unknown): string => checkName('series name', v, 128)
export const checkKey = (what: string, v: unknown): string => checkName(what, v, 256)
/** The canonical statuses; any other text is kept as written. */
export const CANONICAL_STATUSES = ['PENDING', 'TRAINING', 'VALIDATING', 'COMPLETE', 'FAILED', 'KILLED'] as const

/** A status: free text, with the canonical ones matched case-insensitively and stored upper-case. */
export function checkStatus(v: unknown): string {
  const s = checkName('status', v, 64, (x) =>
    x.trim().toUpperCase() === 'LOST' ? 'status LOST is derived from a stopped heartbeat and cannot be set; use FAILED or KILLED' : undefined,
  )
  const upper = s.trim().toUpperCase()
  return (CANONICAL_STATUSES as readonly string[]).includes(upper) ? upper : s
}

/** A split is '' (none), 'train', 'valid', ...; no '/' since filters write `split/name`. */
export function checkSplit(value: unknown): string {
  if (value === undefined || value === null || value === '') return ''
  return checkName('split', value, 64, (s) =>
    s.includes('/') ? `split "${s}" contains "/"; filters address series as split/name, so use another character` : undefined,
  )
}

/** A step is the epoch or iteration: an integer >= 0. */
export function checkStep(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`step must be an integer >= 0 (the epoch or iteration), got ${describe(value)}`, 'step')
  }
  return value
}

/** A value is any JS number, NaN and ±Infinity included. */
export function checkValue(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new ValidationError(`value of "${name}" must be a number (NaN and Infinity allowed), got ${describe(value)}`, 'value')
  }
  return value
}

/** A param value must survive a JSON round trip unchanged. */
export function toJsonValue(key: string, value: unknown): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new ValidationError(`param "${key}" has a value of type ${typeof value}; use a JSON value (number, string, boolean, null, array, object)`, key)
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ValidationError(`param "${key}" is ${value}; JSON cannot hold NaN or Infinity, store it as a string`, key)
  }
  try {
    return JSON.stringify(value)
  } catch (e) {
    throw new ValidationError(`param "${key}" cannot be stored as JSON: ${(e as Error).message}`, key)
  }
}

/** A plain object of key → value, as setParams and setTags take. */
export function checkRecord(what: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${what} must be an object such as { lr: 0.01 }, got ${describe(value)}`, what)
  }
  return value as Record<string, unknown>
}
