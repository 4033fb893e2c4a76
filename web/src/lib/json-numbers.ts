// Reading NaN and ±Infinity back from mldb's JSON (docs/schema.md, "JSON outputs").
// JSON has no such numbers, so the server and `mldb --json` write them as the
// strings "NaN", "Infinity", "-Infinity". A string is a number again only in a
// number position: a guess by shape (any [a, b, "NaN"] triple, any member named
// `value`) would turn a user's param ["a", "b", "NaN"] or {"value": "NaN"} into
// NaN. Pure and dependency-free; src/json.ts follows the same rule and
// test/golden/json-numbers.json holds the cases both must pass.

/** Members whose value is a number (or a column of numbers) wherever they appear outside a user's value. */
export const NUMBER_KEYS: ReadonlySet<string> = new Set([
  'value',
  'last',
  'min',
  'max',
  'best',
  'firstStep',
  'lastStep',
  'lastTime',
  'step',
  'time',
  'count',
  'nanCount',
])

/** Members that hold a user's own JSON (params, tags, file meta, a sweep's search space): copied as written. */
export const USER_VALUE_KEYS: ReadonlySet<string> = new Set(['params', 'tags', 'meta', 'parameters'])

/** Members that hold raw points as [step, time ms, value] triples. */
export const POINT_KEYS: ReadonlySet<string> = new Set(['points'])

const SPECIAL: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY }

const num = (v: unknown): unknown => (typeof v === 'string' ? (SPECIAL[v] ?? v) : v)

function walk(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item)
    return
  }
  if (node === null || typeof node !== 'object') return
  const obj = node as Record<string, unknown>
  for (const key of Object.keys(obj)) {
    if (USER_VALUE_KEYS.has(key)) continue
    const v = obj[key]
    if (NUMBER_KEYS.has(key)) {
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = num(v[i])
      else obj[key] = num(v)
    } else if (POINT_KEYS.has(key) && Array.isArray(v)) {
      for (const p of v) {
        if (Array.isArray(p) && p.length === 3) p[2] = num(p[2])
        else walk(p)
      }
    } else walk(v)
  }
}

/**
 * Turns "NaN"/"Infinity"/"-Infinity" back into numbers in the number positions
 * of parsed mldb JSON (in place; returns its argument).
 *
 * @example reviveNumbers({ last: 'NaN', params: { value: 'NaN' } }) // { last: NaN, params: { value: 'NaN' } }
 */
export function reviveNumbers<T>(parsed: T): T {
  walk(parsed)
  return parsed
}

/**
 * Parses mldb JSON text and revives its non-finite numbers.
 *
 * @example parseJsonNumbers('{"points":[[1,5,"NaN"]]}') // { points: [[1, 5, NaN]] }
 */
export function parseJsonNumbers<T = unknown>(text: string): T {
  return reviveNumbers(JSON.parse(text) as T)
}
