/**
 * JSON for mldb's outputs (CLI `--json`, HTTP): JSON has no NaN or Infinity, so
 * a non-finite number is written as the string "NaN", "Infinity" or "-Infinity".
 * `reviveNumbers` turns them back.
 *
 * @example toJson({ v: Number.NaN }) // '{"v":"NaN"}'
 */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), space)
}

/** Parses what toJson wrote, turning "NaN"/"Infinity"/"-Infinity" strings under `value`-like keys back into numbers. */
export function parseJsonNumbers(text: string, keys: ReadonlySet<string> = NUMBER_KEYS): unknown {
  return JSON.parse(text, (k, v) => (keys.has(k) && (v === 'NaN' || v === 'Infinity' || v === '-Infinity') ? Number(v) : v))
}

/** Keys whose values are always numbers in mldb's JSON. */
export const NUMBER_KEYS: ReadonlySet<string> = new Set(['value', 'last', 'min', 'max', 'best'])
