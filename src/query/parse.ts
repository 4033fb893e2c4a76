import { FilterSyntaxError } from '../errors.js'
import type { Aggregate, AttributeName, CompareOp, Field, Filter, OrderBy, ValueKind } from './ast.js'
import { parseIsoDate } from './dates.js'
import { FILTER_LIMITS } from './limits.js'
import { asciiLower, isBlank } from './text.js'
import { type Token, tokenize } from './tokenize.js'

/** The attributes and how they compare: text, a time (ms or an ISO date) or a number of seconds. */
export const ATTRIBUTES: Record<AttributeName, 'text' | 'time' | 'number'> = {
  name: 'text',
  project: 'text',
  status: 'text',
  host: 'text',
  notes: 'text',
  created: 'time',
  started: 'time',
  ended: 'time',
  updated: 'time',
  duration: 'number',
}

const AGGREGATES: readonly Aggregate[] = ['last', 'min', 'max', 'count']
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'is', 'null', 'true', 'false', 'nan', 'inf', 'infinity'])
const STATUS_WORDS = new Set(['PENDING', 'TRAINING', 'VALIDATING', 'COMPLETE', 'FAILED', 'KILLED', 'LOST'])

/** The message of an unknown field; the list of attributes is part of it. */
export const FIELD_HELP = `use params.<key>, metrics.<split>/<name>, tags.<key> or one of ${Object.keys(ATTRIBUTES).join(', ')}`

type Literal =
  | { type: 'number'; value: number; text: string }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean; text: string }
  | { type: 'null' }

/** `valid/loss` → split valid, name loss; `rmse` → split '', name rmse. */
export function parseSeriesKey(key: string): { name: string; split: string } {
  const slash = key.indexOf('/')
  return slash < 0 ? { name: key, split: '' } : { split: key.slice(0, slash), name: key.slice(slash + 1) }
}

class Parser {
  private pos = 0
  private depth = 0
  private terms = 0
  private readonly tokens: Token[]
  constructor(
    private readonly input: string,
    /** which text this is, so an error says "sort key" for an orderBy */
    private readonly of: 'where' | 'orderBy',
  ) {
    this.tokens = tokenize(input, of)
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token
  }
  private next(): Token {
    return this.tokens[this.pos++] as Token
  }
  fail(msg: string, t: Token = this.peek()): never {
    throw new FilterSyntaxError(msg, this.input, t.column, this.of)
  }
  private isWord(word: string, t: Token = this.peek()): boolean {
    return t.type === 'ident' && asciiLower(t.text) === word
  }

  filter(): Filter {
    const f = this.or()
    if (this.peek().type !== 'eof') this.fail(`expected "and", "or" or the end, found "${this.peek().text}"`)
    return f
  }

  orderBy(): OrderBy {
    const column = this.peek().column
    const field = this.field()
    let direction: 'asc' | 'desc' = 'asc'
    if (this.isWord('asc') || this.isWord('desc')) direction = asciiLower(this.next().text) as 'asc' | 'desc'
    if (this.peek().type !== 'eof') this.fail(`expected asc, desc or the end, found "${this.peek().text}"`)
    return { field, direction, column }
  }

  private or(): Filter {
    const args = [this.and()]
    while (this.isWord('or')) {
      this.next()
      args.push(this.and())
    }
    return args.length === 1 ? (args[0] as Filter) : { type: 'or', args }
  }

  private and(): Filter {
    const args = [this.not()]
    while (this.isWord('and')) {
      this.next()
      args.push(this.not())
    }
    return args.length === 1 ? (args[0] as Filter) : { type: 'and', args }
  }

  private not(): Filter {
    const t = this.peek()
    const opens = this.isWord('not') || t.type === 'lparen'
    if (!opens) return this.comparison()
    // Each `not` and `(` recurses once: bound them so no filter can exhaust the stack.
    if (++this.depth > FILTER_LIMITS.depth) {
      this.fail(`the filter nests deeper than ${FILTER_LIMITS.depth} parentheses and nots; write it flatter`, t)
    }
    this.next()
    let f: Filter
    if (t.type === 'lparen') {
      f = this.or()
      if (this.peek().type !== 'rparen') this.fail('expected ")"')
      this.next()
    } else f = { type: 'not', arg: this.not() }
    this.depth--
    return f
  }

  /** A field: params.x, tags.x, metrics.[split/]name, min(metrics.x), an attribute, or a bare name. */
  field(): Field {
    const t = this.next()
    if (t.type !== 'ident') this.fail(`expected a field such as params.lr, metrics.valid/loss or status, found "${t.text || 'the end'}"`, t)
    const lower = asciiLower(t.text)
    if ((AGGREGATES as readonly string[]).includes(lower) && this.peek().type === 'lparen') {
      this.next()
      const inner = this.next()
      const agg = lower as Aggregate
      const f = inner.type === 'ident' ? this.plainField(inner) : undefined
      if (f?.kind === 'metric') f.agg = agg
      else if (f?.kind !== 'bare') this.fail(`${lower}() takes a series such as metrics.valid/loss`, t)
      if (this.peek().type !== 'rparen') this.fail('expected ")"')
      this.next()
      return f.kind === 'bare' ? { kind: 'bare', key: f.key, agg } : f
    }
    return this.plainField(t)
  }

  private plainField(t: Token): Field {
    const dot = t.text.indexOf('.')
    const head = asciiLower(dot < 0 ? t.text : t.text.slice(0, dot))
    const rest = dot < 0 ? '' : t.text.slice(dot + 1)
    if (head === 'params' || head === 'param') {
      if (!rest) this.fail('params needs a key, as in params.lr', t)
      return { kind: 'param', key: rest }
    }
    if (head === 'tags' || head === 'tag') {
      if (!rest) this.fail('tags needs a key, as in tags.team', t)
      return { kind: 'tag', key: rest }
    }
    if (head === 'metrics' || head === 'metric') {
      if (!rest) this.fail('metrics needs a series, as in metrics.valid/loss', t)
      return { kind: 'metric', ...parseSeriesKey(rest), agg: 'last' }
    }
    const lower = asciiLower(t.text)
    if (Object.hasOwn(ATTRIBUTES, lower)) return { kind: 'attr', name: lower as AttributeName }
    if (KEYWORDS.has(lower)) this.fail(`unknown field "${t.text}"; ${FIELD_HELP}`, t)
    return { kind: 'bare', key: t.text }
  }

  private literal(): Literal {
    const t = this.next()
    if (t.type === 'number') return { type: 'number', value: t.value as number, text: t.text }
    if (t.type === 'string') return { type: 'string', value: t.value as string }
    if (t.type === 'ident') {
      const w = asciiLower(t.text)
      if (w === 'true' || w === 'false') return { type: 'bool', value: w === 'true', text: t.text }
      if (w === 'null' || w === 'nan') return { type: 'null' }
      if (w === 'inf' || w === 'infinity') return { type: 'number', value: Number.POSITIVE_INFINITY, text: t.text }
    }
    return this.fail(`expected a value (a number or a 'quoted string'), found "${t.text || 'the end'}"`, t)
  }

  private list(): Literal[] {
    if (this.peek().type !== 'lparen') this.fail('expected "(" after in')
    this.next()
    const values = [this.literal()]
    while (this.peek().type === 'comma') {
      this.next()
      if (values.length >= FILTER_LIMITS.inValues) {
        this.fail(`an in list takes at most ${FILTER_LIMITS.inValues} values; split it or filter on something else`)
      }
      values.push(this.literal())
    }
    if (this.peek().type !== 'rparen') this.fail('expected "," or ")" in the list')
    this.next()
    return values
  }

  private comparison(): Filter {
    const fieldToken = this.peek()
    if (++this.terms > FILTER_LIMITS.terms) {
      this.fail(`the filter has more than ${FILTER_LIMITS.terms} comparisons; use "in (...)" lists or a narrower filter`, fieldToken)
    }
    const field = this.field()
    const column = fieldToken.column
    const opToken = this.next()
    if (this.isWord('is', opToken)) {
      const negate = this.isWord('not')
      if (negate) this.next()
      if (!this.isWord('null')) this.fail('expected "null" after "is"')
      this.next()
      const exists: Filter = { type: 'exists', field, column }
      return negate ? exists : { type: 'not', arg: exists }
    }
    let negate = false
    let op: CompareOp
    if (opToken.type === 'op') op = (opToken.text === '==' ? '=' : opToken.text === '<>' ? '!=' : opToken.text) as CompareOp
    else if (this.isWord('like', opToken) || this.isWord('in', opToken)) op = asciiLower(opToken.text) as CompareOp
    else if (this.isWord('not', opToken) && (this.isWord('like') || this.isWord('in'))) {
      negate = true
      op = asciiLower(this.next().text) as CompareOp
    } else {
      return this.fail(`expected a comparison (=, !=, <, <=, >, >=, like, in, is null) after the field, found "${opToken.text || 'the end'}"`, opToken)
    }
    const literals = op === 'in' ? this.list() : [this.literal()]
    const compare = this.compare(field, op, literals, fieldToken)
    return negate ? { type: 'not', arg: compare } : compare
  }

  /** The checks that need only the field's kind, and the values in the type the field compares with. */
  private compare(field: Field, op: CompareOp, literals: Literal[], at: Token): Filter {
    const first = literals[0] as Literal
    if (literals.some((l) => l.type !== first.type)) this.fail('all values in a list must be of one type', at)
    if (first.type === 'null') this.fail('compare with null using "is null" or "is not null"', at)
    if (op === 'like' && first.type !== 'string') this.fail("like takes a 'quoted pattern' such as 'adam%'", at)
    const column = at.column
    const typed = literals as Exclude<Literal, { type: 'null' }>[]
    const asText = () => typed.map((l) => (l.type === 'string' ? l.value : l.text))
    const own = (): { kind: ValueKind; values: (number | string | boolean)[] } => ({
      kind: first.type === 'string' ? 'text' : first.type,
      values: typed.map((l) => l.value),
    })
    if (field.kind === 'tag') return { type: 'compare', field, op, kind: 'text', values: asText(), column }
    if (field.kind === 'metric') {
      if (first.type !== 'number') this.fail('metrics compare with numbers, as in metrics.valid/loss < 0.3', at)
      return { type: 'compare', field, op, ...own(), column }
    }
    if (field.kind === 'attr') {
      const type = ATTRIBUTES[field.name]
      if (type === 'time') {
        const values = typed.map((l) => {
          const ms = l.type === 'number' ? l.value : l.type === 'string' ? parseIsoDate(l.value) : undefined
          if (ms === undefined) this.fail("times compare with an ISO 8601 date such as '2026-08-03' or '2026-08-03T10:00Z', or milliseconds since 1970", at)
          return ms
        })
        return { type: 'compare', field, op, kind: 'number', values, column }
      }
      if (type === 'number') {
        if (first.type !== 'number') this.fail('duration compares with a number of seconds', at)
        return { type: 'compare', field, op, ...own(), column }
      }
      const values = asText()
      return { type: 'compare', field, op, kind: 'text', values: field.name === 'status' ? values.map(canonicalStatus) : values, column }
    }
    return { type: 'compare', field, op, ...own(), column }
  }
}

/** Canonical statuses match in any ASCII case, as the API stores them upper-case. */
function canonicalStatus(v: string): string {
  const upper = v.replace(/[a-z]/g, (c) => c.toUpperCase())
  return STATUS_WORDS.has(upper) ? upper : v
}

/**
 * The tree of a filter, or null for an empty (all white space) one.
 * Short forms (`lr`, `valid/loss`) stay `bare` until resolveFilter.
 *
 * @example parseFilter("params.lr < 0.1 and status = 'COMPLETE'")
 */
export function parseFilter(filter: string): Filter | null {
  if (isBlank(filter)) return null
  return new Parser(filter, 'where').filter()
}

/**
 * The tree of a sort key such as `min(metrics.valid/loss) desc`, or null when blank.
 *
 * @example parseOrderBy('params.lr desc') // { field: { kind: 'param', key: 'lr' }, direction: 'desc', column: 1 }
 */
export function parseOrderBy(orderBy: string): OrderBy | null {
  if (isBlank(orderBy)) return null
  return new Parser(orderBy, 'orderBy').orderBy()
}
