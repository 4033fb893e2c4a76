/**
 * The path (`params.__proto__`) of the first own key "__proto__" in a parsed
 * JSON value, walked without recursion. JSON.parse makes it an ordinary key,
 * but mldb keeps params, tags and file meta in JavaScript objects, where
 * assigning it sets the prototype instead: zod and the store drop it and the
 * write answered 200 without it. A 400 naming it is the honest answer.
 *
 * @example protoKeyAt(JSON.parse('{"tags":{"__proto__":"x"}}')) // 'tags.__proto__'
 */
export function protoKeyAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']]
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string]
    if (typeof v !== 'object' || v === null) continue
    if (!Array.isArray(v) && Object.hasOwn(v, '__proto__')) return path ? `${path}.__proto__` : '__proto__'
    for (const [k, child] of Object.entries(v)) stack.push([child, path ? `${path}.${k}` : k])
  }
  return undefined
}
