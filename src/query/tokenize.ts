import { FilterSyntaxError } from '../errors.js'

export type TokenType = 'ident' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof'

export interface Token {
  type: TokenType
  text: string
  /** the parsed value of a number or string */
  value?: number | string
  /** 1-based column in the filter */
  column: number
}

const IDENT_START = /[\p{L}_]/u
// Series names carry '/', params dots and dashes: `metrics.valid/loss`, `params.model.depth`.
const IDENT_PART = /[\p{L}\p{N}_.\-/:]/u

/** Splits a filter such as `params.lr < 0.1 and status = 'COMPLETE'` into tokens. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  const fail = (msg: string, at: number): never => {
    throw new FilterSyntaxError(msg, input, at + 1)
  }
  while (i < input.length) {
    const c = input[i] as string
    if (/\s/.test(c)) {
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
        if (i >= input.length) fail(`unterminated string (missing closing ${c})`, start)
        const d = input[i] as string
        if (d === c) {
          if (input[i + 1] === c) {
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
      tokens.push({ type: 'string', text: input.slice(start, i), value: s, column: start + 1 })
    } else if (c === '`') {
      // A quoted key: params.`learning rate`, metrics.`top-1 acc`; `` inside stands for `.
      let key = ''
      i++
      for (;;) {
        if (i >= input.length) fail('unterminated ` quote', start)
        if (input[i] === '`') {
          if (input[i + 1] === '`') {
            key += '`'
            i += 2
            continue
          }
          i++
          break
        }
        key += input[i]
        i++
      }
      const prev = tokens[tokens.length - 1]
      if (prev && prev.type === 'ident' && prev.text.endsWith('.') && prev.column + prev.text.length === start + 1) prev.text += key
      else fail('a ` quoted key must follow params., metrics. or tags.', start)
    } else if ((c === '-' || c === '+') && /^inf(inity)?\b/i.test(input.slice(i + 1))) {
      const text = (/^[-+]inf(inity)?/i.exec(input.slice(i)) as RegExpExecArray)[0]
      tokens.push({ type: 'number', text, value: c === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY, column: start + 1 })
      i += text.length
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+' || c === '.') && /[0-9.]/.test(input[i + 1] ?? ''))) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(input.slice(i))
      if (!m) fail('bad number', start)
      const text = (m as RegExpExecArray)[0]
      tokens.push({ type: 'number', text, value: Number(text), column: start + 1 })
      i += text.length
    } else if (IDENT_START.test(c)) {
      while (i < input.length && IDENT_PART.test(input[i] as string)) i++
      tokens.push({ type: 'ident', text: input.slice(start, i), column: start + 1 })
    } else {
      const two = input.slice(i, i + 2)
      if (['<=', '>=', '!=', '<>', '=='].includes(two)) {
        tokens.push({ type: 'op', text: two, column: start + 1 })
        i += 2
      } else if (c === '<' || c === '>' || c === '=') {
        tokens.push({ type: 'op', text: c, column: start + 1 })
        i++
      } else fail(`unexpected character ${JSON.stringify(c)}`, start)
    }
  }
  tokens.push({ type: 'eof', text: '', column: input.length + 1 })
  return tokens
}
