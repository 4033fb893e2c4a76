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

/** What is wrong, without the field's name: `contains a lone UTF-16 surrogate (U+DC00); send valid Unicode text`. */
export const loneSurrogateProblem = (unit: string): string => `contains a lone UTF-16 surrogate (${unit}); send valid Unicode text`

/**
 * Refuses text mldb cannot store (a lone surrogate, or U+0000: textProblem) with a
 * ValidationError naming the field.
 *
 * @example checkUnicode('tag "team"', 'team', 'a\udc00') // throws: tag "team" contains a lone UTF-16 surrogate (U+DC00); ...
 */
export function checkUnicode(what: string, field: string, text: string): string {
  const problem = textProblem(text)
  if (problem) throw new ValidationError(`${what} ${problem}`, field)
  return text
}

/**
 * What is wrong with a NUL, without the field's name. PostgreSQL's text and jsonb cannot
 * hold U+0000 (a team server there answered 500, which a sender retries forever), and
 * Python's SQLite 3.40 cuts a JSON string at it, so no text mldb stores may hold one.
 */
export const NUL_PROBLEM = 'contains U+0000 (NUL); PostgreSQL and some SQLite versions cannot keep it — remove it'

/**
 * What is wrong with text mldb would store, without the field's name: a lone surrogate
 * (loneSurrogateProblem) or a NUL (NUL_PROBLEM); undefined when it may be stored.
 *
 * @example textProblem('a\u0000b') // 'contains U+0000 (NUL); ...'
 */
export function textProblem(text: string): string | undefined {
  const unit = loneSurrogate(text)
  if (unit) return loneSurrogateProblem(unit)
  return text.includes('\u0000') ? NUL_PROBLEM : undefined
}

/** Where text mldb refuses sits in a value: what is wrong and the path to its string or object key. */
export interface TextProblemAt {
  problem: string
  path: (string | number)[]
}

/**
 * The first string or object key of a JSON value that textProblem refuses, with its path
 * (a key's path ends with that key), or undefined. Walked without recursion; callers
 * bound the value's size first (checkShape, or the server's depth check).
 *
 * @example textProblemAt({ tags: { t: 'a\u0000' } }) // { problem: 'contains U+0000 (NUL); ...', path: ['tags', 't'] }
 */
export function textProblemAt(value: unknown): TextProblemAt | undefined {
  const stack: [unknown, (string | number)[]][] = [[value, []]]
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, (string | number)[]]
    if (typeof v === 'string') {
      const problem = textProblem(v)
      if (problem) return { problem, path }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...path, i]])
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, c] of Object.entries(v).reverse()) {
        const problem = textProblem(k)
        if (problem) return { problem, path: [...path, k] }
        stack.push([c, [...path, k]])
      }
    }
  }
  return undefined
}

/**
 * Refuses a JSON value (a param, file meta) holding a lone surrogate or NUL in any string
 * or key with a ValidationError naming it.
 *
 * @example checkJsonText('param "p"', 'p', { a: 'x\u0000' }) // throws: param "p" contains U+0000 (NUL); ...
 */
export function checkJsonText(what: string, field: string, value: unknown): void {
  const at = textProblemAt(value)
  if (at) throw new ValidationError(`${what} ${at.problem}`, field)
}
