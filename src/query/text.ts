/**
 * The text rules of the filter language that every client must read alike,
 * stated in Unicode code points rather than any one language's string type.
 */

/** The Unicode White_Space characters: what separates tokens. */
export const WHITESPACE = new Set([
  '\t',
  '\n',
  '\v',
  '\f',
  '\r',
  ' ',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
])

/**
 * Keywords and field names match in any ASCII case only: `AND`, `Status`. Other
 * letters are left alone, so no language's Unicode case tables are involved.
 *
 * @example asciiLower('NOT') // 'not'
 */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/** Whether a filter is empty or only white space (and so filters nothing). */
export function isBlank(s: string): boolean {
  for (const c of s) if (!WHITESPACE.has(c)) return false
  return true
}

const IDENT_START = /^[\p{L}_]$/u
// Series names carry '/', params dots and dashes: `metrics.valid/loss`, `params.model.depth`.
const IDENT_PART = /^[\p{L}\p{N}_.\-/:]$/u

/** Whether a code point may start a field name: a letter (general category L) or `_`. */
export function isIdentStart(c: string): boolean {
  return IDENT_START.test(c)
}

/** Whether a code point may continue a field name: letters, digits (category N) and `_ . - / :`. */
export function isIdentPart(c: string): boolean {
  return IDENT_PART.test(c)
}

/**
 * A params/metrics/tags key as the tokenizer reads it back: as is when it is a
 * plain name, else in backquotes with ` doubled.
 *
 * @example quoteKey('valid/loss') // 'valid/loss'
 * @example quoteKey('top-1 acc') // '`top-1 acc`'
 */
export function quoteKey(key: string): string {
  const cps = Array.from(key)
  const plain = cps.length > 0 && isIdentStart(cps[0] as string) && cps.every(isIdentPart)
  return plain ? key : `\`${key.replaceAll('`', '``')}\``
}
