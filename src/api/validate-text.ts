import { ValidationError } from '../errors.js'

/**
 * A lone UTF-16 surrogate: a JavaScript string may hold one (a truncated emoji, a
 * `\udc00` escape in JSON), but it has no UTF-8 form, so SQLite would store invalid
 * UTF-8 (bytes ED B0 80) and Python could not encode it at all. With the `u` flag a
 * well-formed pair is one code point, so only a lone half matches.
 */
const LONE_SURROGATE = /\p{Cs}/u

/** `U+DC00` of the first lone surrogate in text, or undefined when text is valid Unicode. */
export function loneSurrogate(text: string): string | undefined {
  const m = LONE_SURROGATE.exec(text)
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined
}

/** The message every client and the server give for a lone surrogate in `what` (docs/schema.md, "Limits"). */
export const loneSurrogateMessage = (what: string, unit: string): string => `${what} ${loneSurrogateProblem(unit)}`

/** What is wrong, without the field's name: `contains a lone UTF-16 surrogate (U+DC00); send valid Unicode text`. */
export const loneSurrogateProblem = (unit: string): string => `contains a lone UTF-16 surrogate (${unit}); send valid Unicode text`

/**
 * Refuses text holding a lone surrogate with a ValidationError naming the field.
 *
 * @example checkUnicode('tag "team"', 'team', 'a\udc00') // throws: tag "team" contains a lone UTF-16 surrogate (U+DC00); ...
 */
export function checkUnicode(what: string, field: string, text: string): string {
  const unit = loneSurrogate(text)
  if (unit) throw new ValidationError(loneSurrogateMessage(what, unit), field)
  return text
}

/** Where a lone surrogate sits in a value: the code unit (`U+DC00`) and the path to its string or object key. */
export interface LoneSurrogateAt {
  unit: string
  path: (string | number)[]
}

/**
 * The first lone surrogate in any string or object key of a JSON value, with its path
 * (a key's path ends with that key), or undefined. Walked without recursion; callers
 * bound the value's size first (checkShape, or the server's depth check).
 *
 * @example loneSurrogateAt({ tags: { t: 'a\udc00' } }) // { unit: 'U+DC00', path: ['tags', 't'] }
 */
export function loneSurrogateAt(value: unknown): LoneSurrogateAt | undefined {
  const stack: [unknown, (string | number)[]][] = [[value, []]]
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, (string | number)[]]
    if (typeof v === 'string') {
      const unit = loneSurrogate(v)
      if (unit) return { unit, path }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, i]])
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, c] of Object.entries(v).reverse()) {
        const unit = loneSurrogate(k)
        if (unit) return { unit, path: [...path, k] }
        stack.push([c, [...path, k]])
      }
    }
  }
  return undefined
}

/** The first lone surrogate in any string or object key of a JSON value, or undefined. */
export const loneSurrogateInJson = (value: unknown): string | undefined => loneSurrogateAt(value)?.unit
