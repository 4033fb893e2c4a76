import { FilterSyntaxError } from '../errors.js'
import { type Token, tokenize } from './tokenize.js'

/** A piece of SQL with its `?` parameters, in order. */
export interface SqlFragment {
  sql: string
  params: unknown[]
}

/**
 * The SQL an experiment's derived status takes: an active experiment whose
 * heartbeat (or last update) is older than a minute reads as LOST.
 * Expects the experiments table aliased `e`; `@now` is replaced by the caller
 * with the current time in ms (see bindNow), never with user input.
 */
export const STATUS_SQL = `(CASE WHEN e.status IN ('TRAINING', 'VALIDATING') AND coalesce(e.heartbeat_at, e.updated_at) < (@now - 60000) THEN 'LOST' ELSE e.status END)`

const STATUS_WORDS = new Set(['PENDING', 'TRAINING', 'VALIDATING', 'COMPLETE', 'FAILED', 'KILLED', 'LOST'])

/** Canonical statuses match whatever their case, as the API stores them upper-case. */
function canonicalStatus(v: unknown): unknown {
  return typeof v === 'string' && STATUS_WORDS.has(v.trim().toUpperCase()) ? v.trim().toUpperCase() : v
}

/** The heartbeat age after which an active experiment reads as LOST. */
export const LOST_AFTER_MS = 60_000

type Field =
  | { kind: 'param'; key: string }
  | { kind: 'tag'; key: string }
  | { kind: 'metric'; name: string; split: string; column: 'last_value' | 'min_value' | 'max_value' | 'count' }
  | { kind: 'attr'; sql: string; type: 'text' | 'time' | 'number' }

const ATTRIBUTES: Record<string, { sql: string; type: 'text' | 'time' | 'number' }> = {
  name: { sql: 'e.name', type: 'text' },
  project: { sql: 'p.name', type: 'text' },
  status: { sql: STATUS_SQL, type: 'text' },
  host: { sql: 'e.host', type: 'text' },
  notes: { sql: 'e.notes', type: 'text' },
  created: { sql: 'e.created_at', type: 'time' },
  started: { sql: 'e.started_at', type: 'time' },
  ended: { sql: 'e.ended_at', type: 'time' },
  updated: { sql: 'e.updated_at', type: 'time' },
  duration: { sql: '((coalesce(e.ended_at, @now) - e.started_at) / 1000.0)', type: 'number' },
}

const AGGREGATES: Record<string, 'last_value' | 'min_value' | 'max_value' | 'count'> = {
  last: 'last_value',
  min: 'min_value',
  max: 'max_value',
  count: 'count',
}

/** `valid/loss` → split valid, name loss; `rmse` → split '', name rmse. */
export function parseSeriesKey(key: string): { name: string; split: string } {
  const slash = key.indexOf('/')
  return slash < 0 ? { name: key, split: '' } : { split: key.slice(0, slash), name: key.slice(slash + 1) }
}

type Literal = { type: 'number'; value: number } | { type: 'string'; value: string } | { type: 'bool'; value: boolean } | { type: 'null' }

class Parser {
  private pos = 0
  constructor(
    private readonly input: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token
  }
  private next(): Token {
    return this.tokens[this.pos++] as Token
  }
  private fail(msg: string, t: Token = this.peek()): never {
    throw new FilterSyntaxError(msg, this.input, t.column)
  }
  private isWord(word: string, t: Token = this.peek()): boolean {
    return t.type === 'ident' && t.text.toLowerCase() === word
  }

  parse(): SqlFragment {
    const f = this.or()
    if (this.peek().type !== 'eof') this.fail(`expected "and", "or" or the end, found "${this.peek().text}"`)
    return f
  }

  end(): void {
    if (this.peek().type !== 'eof') this.fail(`expected asc, desc or the end, found "${this.peek().text}"`)
  }

  private or(): SqlFragment {
    let left = this.and()
    while (this.isWord('or')) {
      this.next()
      const right = this.and()
      left = { sql: `(${left.sql} OR ${right.sql})`, params: [...left.params, ...right.params] }
    }
    return left
  }

  private and(): SqlFragment {
    let left = this.not()
    while (this.isWord('and')) {
      this.next()
      const right = this.not()
      left = { sql: `(${left.sql} AND ${right.sql})`, params: [...left.params, ...right.params] }
    }
    return left
  }

  private not(): SqlFragment {
    if (this.isWord('not')) {
      this.next()
      const inner = this.not()
      return { sql: `(NOT ${inner.sql})`, params: inner.params }
    }
    if (this.peek().type === 'lparen') {
      this.next()
      const inner = this.or()
      if (this.peek().type !== 'rparen') this.fail('expected ")"')
      this.next()
      return inner
    }
    return this.comparison()
  }

  /** A field: params.x, tags.x, metrics.[split/]name, min(metrics.x), or an attribute. */
  field(): Field {
    const t = this.next()
    if (t.type !== 'ident') this.fail(`expected a field such as params.lr, metrics.valid/loss or status, found "${t.text || 'the end'}"`, t)
    const lower = t.text.toLowerCase()
    if (Object.hasOwn(AGGREGATES, lower) && this.peek().type === 'lparen') {
      this.next()
      const inner = this.field()
      if (inner.kind !== 'metric') this.fail(`${lower}() takes a series such as metrics.valid/loss`, t)
      if (this.peek().type !== 'rparen') this.fail('expected ")"')
      this.next()
      return { ...inner, column: AGGREGATES[lower] as 'last_value' }
    }
    const dot = t.text.indexOf('.')
    const head = (dot < 0 ? t.text : t.text.slice(0, dot)).toLowerCase()
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
      return { kind: 'metric', ...parseSeriesKey(rest), column: 'last_value' }
    }
    // hasOwn: 'constructor' or '__proto__' must not find Object.prototype's members
    const attr = dot < 0 && Object.hasOwn(ATTRIBUTES, lower) ? ATTRIBUTES[lower] : undefined
    if (!attr) {
      this.fail(`unknown field "${t.text}"; use params.<key>, metrics.<split>/<name>, tags.<key> or one of ${Object.keys(ATTRIBUTES).join(', ')}`, t)
    }
    return { kind: 'attr', ...attr }
  }

  private literal(): Literal {
    const t = this.next()
    if (t.type === 'number') return { type: 'number', value: t.value as number }
    if (t.type === 'string') return { type: 'string', value: t.value as string }
    if (t.type === 'ident') {
      const w = t.text.toLowerCase()
      if (w === 'true' || w === 'false') return { type: 'bool', value: w === 'true' }
      if (w === 'null') return { type: 'null' }
      if (w === 'nan') return { type: 'null' }
      if (w === 'inf' || w === 'infinity') return { type: 'number', value: Number.POSITIVE_INFINITY }
    }
    return this.fail(`expected a value (a number or a 'quoted string'), found "${t.text || 'the end'}"`, t)
  }

  private comparison(): SqlFragment {
    const fieldToken = this.peek()
    const field = this.field()
    const opToken = this.next()
    let op: string
    let literals: Literal[]
    if (this.isWord('is', opToken)) {
      const negate = this.isWord('not')
      if (negate) this.next()
      if (!this.isWord('null')) this.fail('expected "null" after "is"')
      this.next()
      return this.presence(field, !negate)
    }
    if (opToken.type === 'op') {
      op = opToken.text === '==' ? '=' : opToken.text === '<>' ? '!=' : opToken.text
      literals = [this.literal()]
    } else if (this.isWord('like', opToken) || this.isWord('in', opToken)) {
      op = opToken.text.toUpperCase()
      if (op === 'IN') {
        if (this.peek().type !== 'lparen') this.fail('expected "(" after in')
        this.next()
        literals = [this.literal()]
        while (this.peek().type === 'comma') {
          this.next()
          literals.push(this.literal())
        }
        if (this.peek().type !== 'rparen') this.fail('expected "," or ")" in the list')
        this.next()
      } else literals = [this.literal()]
    } else if (this.isWord('not', opToken) && (this.isWord('like') || this.isWord('in'))) {
      this.pos--
      this.next()
      const inner = this.comparisonAfterField(field, fieldToken)
      return { sql: `(NOT ${inner.sql})`, params: inner.params }
    } else {
      return this.fail(`expected a comparison (=, !=, <, <=, >, >=, like, in, is null) after the field, found "${opToken.text || 'the end'}"`, opToken)
    }
    return this.build(field, op, literals, fieldToken)
  }

  private comparisonAfterField(field: Field, fieldToken: Token): SqlFragment {
    const opToken = this.next()
    const op = opToken.text.toUpperCase()
    let literals: Literal[]
    if (op === 'IN') {
      if (this.peek().type !== 'lparen') this.fail('expected "(" after in')
      this.next()
      literals = [this.literal()]
      while (this.peek().type === 'comma') {
        this.next()
        literals.push(this.literal())
      }
      if (this.peek().type !== 'rparen') this.fail('expected "," or ")" in the list')
      this.next()
    } else literals = [this.literal()]
    return this.build(field, op, literals, fieldToken)
  }

  private presence(field: Field, isNull: boolean): SqlFragment {
    const inner = this.exists(field, 'TRUE', [])
    if (field.kind === 'attr') return { sql: `(${field.sql} IS ${isNull ? '' : 'NOT '}NULL)`, params: [] }
    if (field.kind === 'metric' && field.column !== 'count') {
      const f = this.exists(field, `x.${field.column} IS NOT NULL`, [])
      return isNull ? { sql: `(NOT ${f.sql})`, params: f.params } : f
    }
    return isNull ? { sql: `(NOT ${inner.sql})`, params: inner.params } : inner
  }

  private exists(field: Field, cond: string, params: unknown[]): SqlFragment {
    switch (field.kind) {
      case 'param':
        return { sql: `EXISTS (SELECT 1 FROM params x WHERE x.experiment_id = e.id AND x.key = ? AND ${cond})`, params: [field.key, ...params] }
      case 'tag':
        return { sql: `EXISTS (SELECT 1 FROM tags x WHERE x.experiment_id = e.id AND x.key = ? AND ${cond})`, params: [field.key, ...params] }
      case 'metric':
        return {
          sql: `EXISTS (SELECT 1 FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ? AND ${cond})`,
          params: [field.name, field.split, ...params],
        }
      default:
        return { sql: cond, params }
    }
  }

  private build(field: Field, op: string, literals: Literal[], at: Token): SqlFragment {
    const first = literals[0] as Literal
    if (literals.some((l) => l.type !== first.type)) this.fail('all values in a list must be of one type', at)
    if (first.type === 'null') this.fail('compare with null using "is null" or "is not null"', at)
    if (op === 'LIKE' && first.type !== 'string') this.fail("like takes a 'quoted pattern' such as 'adam%'", at)
    const values = literals.map((l) => (l.type === 'bool' ? (l.value ? 1 : 0) : (l as { value: unknown }).value))
    const rhs = op === 'IN' ? `(${values.map(() => '?').join(', ')})` : '?'
    const sqlOp = op === 'IN' ? 'IN' : op
    switch (field.kind) {
      case 'param': {
        // Params are JSON text; compare numbers with numbers and text with text,
        // never across (SQLite would order any text above any number).
        const guard =
          first.type === 'number'
            ? "json_type(x.value) IN ('integer', 'real')"
            : first.type === 'bool'
              ? "json_type(x.value) IN ('true', 'false')"
              : "json_type(x.value) = 'text'"
        return this.exists(field, `${guard} AND json_extract(x.value, '$') ${sqlOp} ${rhs}`, values)
      }
      case 'tag':
        return this.exists(field, `x.value ${sqlOp} ${rhs}`, values.map(String))
      case 'metric':
        if (first.type !== 'number') this.fail(`metrics compare with numbers, as in metrics.valid/loss < 0.3`, at)
        return this.exists(field, `x.${field.column} ${sqlOp} ${rhs}`, values)
      case 'attr': {
        let vals = values
        if (field.type === 'time') {
          vals = literals.map((l) => {
            if (l.type === 'number') return l.value
            const ms = l.type === 'string' ? Date.parse(l.value) : Number.NaN
            if (Number.isNaN(ms)) this.fail("times compare with a date such as '2026-08-03' or milliseconds since 1970", at)
            return ms
          })
        } else if (field.type === 'number' && first.type !== 'number') this.fail('duration compares with a number of seconds', at)
        else if (field.sql === STATUS_SQL) vals = values.map(canonicalStatus)
        return { sql: `(${field.sql} ${sqlOp} ${rhs})`, params: vals }
      }
    }
  }
}

/**
 * Parses a filter into a parameterised SQL condition over `experiments e JOIN projects p`.
 * `@now` inside the SQL is bound by the caller.
 *
 * @example
 * compileFilter("params.lr < 0.1 and metrics.valid/loss < 0.3 and status = 'COMPLETE'")
 */
export function compileFilter(filter: string): SqlFragment {
  return new Parser(filter, tokenize(filter)).parse()
}

/**
 * A series key as a filter field, quoted when it holds characters the
 * tokenizer would read otherwise: `valid/loss` → metrics.valid/loss,
 * `top-1 acc` → metrics.`top-1 acc`.
 */
export function seriesField(key: string): string {
  // Letters beyond the BMP are quoted too: the tokenizer reads UTF-16 units.
  return /^[\p{L}_][\p{L}\p{N}_.\-/:]*$/u.test(key) && !/[\u{10000}-\u{10FFFF}]/u.test(key) ? `metrics.${key}` : `metrics.\`${key.replaceAll('`', '``')}\``
}

/**
 * An ORDER BY term: a field and optional asc/desc, as in `metrics.valid/loss desc`.
 * Empty values sort last either way.
 */
export function compileOrderBy(orderBy: string): SqlFragment {
  const m = /^([\s\S]*?)(?:\s+(asc|desc))?\s*$/i.exec(orderBy) as RegExpExecArray
  const fieldText = m[1] ?? ''
  const dir = (m[2] ?? 'asc').toUpperCase()
  const parser = new Parser(orderBy, tokenize(fieldText))
  const field = parser.field()
  parser.end()
  let expr: SqlFragment
  switch (field.kind) {
    case 'param':
      expr = { sql: "(SELECT json_extract(x.value, '$') FROM params x WHERE x.experiment_id = e.id AND x.key = ?)", params: [field.key] }
      break
    case 'tag':
      expr = { sql: '(SELECT x.value FROM tags x WHERE x.experiment_id = e.id AND x.key = ?)', params: [field.key] }
      break
    case 'metric':
      expr = {
        sql: `(SELECT x.${field.column} FROM series x WHERE x.experiment_id = e.id AND x.name = ? AND x.split = ?)`,
        params: [field.name, field.split],
      }
      break
    default:
      expr = { sql: field.sql, params: [] }
  }
  return { sql: `${expr.sql} IS NULL, ${expr.sql} ${dir}`, params: [...expr.params, ...expr.params] }
}

/** Puts the current time (an integer we made, never user input) where `@now` stands. */
export function bindNow(sql: string, now: number): string {
  return sql.replaceAll('@now', String(Math.trunc(now)))
}
