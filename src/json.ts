/**
 * JSON for mldb's outputs (CLI `--json`, HTTP): JSON has no NaN or Infinity, so
 * a non-finite number is written as the string "NaN", "Infinity" or "-Infinity".
 * `parseJsonNumbers` turns them back.
 *
 * @example toJson({ v: Number.NaN }) // '{"v":"NaN"}'
 */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), space)
}

// The reading rule (which strings are numbers again) is one pure module that the
// dashboard bundles too: web/ may not import src/, so the rule lives on its side.
export { NUMBER_KEYS, parseJsonNumbers, reviveNumbers } from '../web/src/lib/json-numbers.js'
