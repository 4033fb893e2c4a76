import { InvalidArgumentError } from 'commander'
import type { Json } from '../store/types.js'
import { UsageError } from './errors.js'

/** A commander argument parser for integers >= 0 (steps, limits, ports). */
export function parseCount(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0.')
  return n
}

/**
 * A metric value from the shell: a number, or nan, inf, -inf, infinity (any case).
 *
 * @example parseValue('-inf') // -Infinity
 */
export function parseValue(text: string): number | undefined {
  const t = text.trim().toLowerCase()
  if (t === 'nan') return Number.NaN
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Number.POSITIVE_INFINITY
  if (t === '-inf' || t === '-infinity') return Number.NEGATIVE_INFINITY
  if (t === '') return undefined
  const n = Number(t)
  return Number.isNaN(n) ? undefined : n
}

/** A param value: JSON when it parses as JSON (0.01, true, [64, 64]), else the text itself. */
export function parseJsonOrString(text: string): Json {
  try {
    return JSON.parse(text) as Json
  } catch {
    return text
  }
}

/** `key=value` pairs from the command line, in order; a pair without `=` is a usage error. */
export function parsePairs(pairs: readonly string[]): [string, string][] {
  return pairs.map((p) => {
    const eq = p.indexOf('=')
    if (eq <= 0) throw new UsageError(`expected key=value, got "${p}"`)
    return [p.slice(0, eq), p.slice(eq + 1)]
  })
}

/** Comma-separated list, blanks removed. */
export function parseList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}
