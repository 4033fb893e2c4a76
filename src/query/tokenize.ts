import { FilterSyntaxError } from '../errors.js'
import { FILTER_LIMITS } from './limits.js'
import { asciiLower, isIdentPart, isIdentStart, WHITESPACE } from './text.js'

export type TokenType = 'ident' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof'

export interface Token {
  type: TokenType
  /** the text as written (for an ident with a ` quoted key: the key unquoted) */
  text: string
  /** the parsed value of a number or string */
  value?: number | string
  /** 1-based column in the filter, counted in Unicode code points */
  column: number
}

const NUMBER = /[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/y
const TWO_CHAR_OPS = new Set(['<=', '>=', '!=', '<>', '=='])

/**
 * Splits a filter such as `params.lr < 0.1 and status = 'COMPLETE'` into tokens.
 * Columns count code points, so an emoji is one column in every client.
 *
 * @example tokenize('lr < 1').map((t) => t.type) // ['ident', 'op', 'number', 'eof']
 */
export function tokenize(input: string, of: 'where' | 'orderBy' = 'where'): Token[] {
  const cps = Array.from(input)
  const n = cps.length
  const fail = (msg: string, at: number): never => {
    throw new FilterSyntaxError(msg, input, at + 1, of)
  }
  if (n > FILTER_LIMITS.length) {
    fail(`the filter is longer than ${FILTER_LIMITS.length} characters; split it or use "in (...)" lists`, FILTER_LIMITS.length)
  }
  // A lone surrogate is no Unicode text: no client could bind it to SQL as written.
  const lone = cps.findIndex((c) => c.length === 1 && c >= '\ud800' && c <= '\udfff')
  if (lone >= 0) fail(`unexpected character ${JSON.stringify(cps[lone])} (a lone surrogate: the filter is not Unicode text)`, lone)
  const tokens: Token[] = []
  const at = (k: number): string => cps[k] ?? ''
  let i = 0
  while (i < n) {
    const c = at(i)
    if (WHITESPACE.has(c)) {
      i++
      continue
    }
    const start = i
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, column: start + 1 })
      i++
    } else if (c === "'" || c === '"') {
      let s = ''
      i++
      for (;;) {
        if (i >= n) fail(`unterminated string (missing closing ${c})`, start)
        const d = at(i)
        if (d === c) {
          if (at(i + 1) === c) {
            s += c
            i += 2
            continue
          }
          i++
          break
        }
        s += d
        i++
      }
      tokens.push({ type: 'string', text: cps.slice(start, i).join(''), value: s, column: start + 1 })
    } else if (c === '`') {
      // A quoted key: params.`learning rate`, metrics.`top-1 acc`; `` inside stands for `.
      let key = ''
      i++
      for (;;) {
        if (i >= n) fail('unterminated ` quote', start)
        if (at(i) === '`') {
          if (at(i + 1) === '`') {
            key += '`'
            i += 2
            continue
          }
          i++
          break
        }
        key += at(i)
        i++
      }
      const prev = tokens[tokens.length - 1]
      if (prev && prev.type === 'ident' && prev.text.endsWith('.') && prev.column + Array.from(prev.text).length === start + 1) prev.text += key
      else fail('a ` quoted key must follow params., metrics. or tags.', start)
    } else if ((c === '-' || c === '+') && infinityAt(cps, i + 1) > 0) {
      const len = infinityAt(cps, i + 1)
      tokens.push({
        type: 'number',
        text: cps.slice(i, i + 1 + len).join(''),
        value: c === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
        column: start + 1,
      })
      i += 1 + len
    } else if (isDigit(c) || ((c === '-' || c === '+' || c === '.') && (isDigit(at(i + 1)) || at(i + 1) === '.'))) {
      // Numbers are ASCII, so code points and UTF-16 units coincide inside one.
      let text = ''
      for (let k = i; k < n && /^[-+.0-9eE]$/.test(at(k)); k++) text += at(k)
      NUMBER.lastIndex = 0
      const m = NUMBER.exec(text)
      if (!m) return fail('bad number', start)
      tokens.push({ type: 'number', text: m[0], value: Number(m[0]), column: start + 1 })
      i += m[0].length
    } else if (isIdentStart(c)) {
      while (i < n && isIdentPart(at(i))) i++
      tokens.push({ type: 'ident', text: cps.slice(start, i).join(''), column: start + 1 })
    } else {
      const two = c + at(i + 1)
      if (TWO_CHAR_OPS.has(two)) {
        tokens.push({ type: 'op', text: two, column: start + 1 })
        i += 2
      } else if (c === '<' || c === '>' || c === '=') {
        tokens.push({ type: 'op', text: c, column: start + 1 })
        i++
      } else fail(`unexpected character ${JSON.stringify(c)}`, start)
    }
  }
  tokens.push({ type: 'eof', text: '', column: n + 1 })
  return tokens
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9' && c.length === 1
}

/** The length of `inf` or `infinity` (any ASCII case) at k when no field-name character follows, else 0. */
function infinityAt(cps: string[], k: number): number {
  for (const word of ['infinity', 'inf']) {
    const text = cps.slice(k, k + word.length).join('')
    if (asciiLower(text) === word && !isIdentPart(cps[k + word.length] ?? ' ')) return word.length
  }
  return 0
}
