import { InvalidArgumentError } from 'commander'
import { parseNumberText } from '../api/records.js'
import type { Json } from '../store/types.js'
import { UsageError } from './errors.js'

/** A commander argument parser for integers >= 0 (limits, counts). */
export function parseCount(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0.')
  return n
}

/** A commander argument parser for a step: any safe integer, negative ones included (`--step -1` or `--step=-1`). */
export function parseStep(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer (negative steps allowed).')
  return n
}

/** A commander argument parser for a TCP port (0 picks a free one). */
export function parsePort(value: string): number {
  const n = parseCount(value)
  if (n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535.')
  return n
}

/**
 * A metric value from the shell: a number, or nan, inf, -inf, infinity (any case);
 * the same reader as `mldb import` uses.
 *
 * @example parseValue('-inf') // -Infinity
 */
export const parseValue: (text: string) => number | undefined = parseNumberText

/** A param value: JSON when it parses as JSON (0.01, true, [64, 64]), else the text itself. */
export function parseJsonOrString(text: string): Json {
  try {
    return JSON.parse(text) as Json
  } catch {
    return text
  }
}

/**
 * `key=value` pairs from the command line, in order. A pair without `=` is a
 * usage error, and so is one key given two different values (`lr=0.1 lr=0.2`):
 * keeping either one silently would hide a typo. The same pair twice is fine.
 */
export function parsePairs(pairs: readonly string[]): [string, string][] {
  const seen = new Map<string, string>()
  const result: [string, string][] = []
  for (const p of pairs) {
    const eq = p.indexOf('=')
    if (eq <= 0) throw new UsageError(`expected key=value, got "${p}"`)
    const key = p.slice(0, eq)
    const value = p.slice(eq + 1)
    const before = seen.get(key)
    if (before === undefined) {
      seen.set(key, value)
      result.push([key, value])
    } else if (before !== value) {
      throw new UsageError(`"${key}" is given twice with different values (${key}=${before} and ${key}=${value}); give it once`)
    }
  }
  return result
}

/** Comma-separated list, blanks removed. */
export function parseList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}
