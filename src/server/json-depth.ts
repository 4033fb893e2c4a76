/**
 * Whether a parsed JSON value nests arrays/objects deeper than `max`, walked
 * without recursion: JSON.parse takes any depth, but everything after it
 * (zod, JSON.stringify, SQLite's JSON) recurses and overflows the stack.
 *
 * @example jsonTooDeep(JSON.parse('[[[1]]]'), 2) // true
 */
export function jsonTooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number]
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}

/** The deepest nesting a request body may have (MLflow's protobuf parser stops at 100). */
export const MAX_JSON_DEPTH = 100
