/**
 * MLflow's search syntax (`metrics.acc > 0.9 and params.lr = '0.01'`,
 * `order_by: ["metrics.acc DESC"]`), parsed here and evaluated on rows the
 * caller describes through a getter, so runs and experiments share it.
 */
import { invalidParam } from './errors.js'

/** Which part of a row an identifier names. */
export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset'

/** One `identifier op value` clause; clauses are ANDed (MLflow has no OR). */
export interface Clause {
  entity: Entity
  key: string
  op: string
  value: number | string | string[] | null
}

/** Reads the value an identifier names on one row (undefined: the row has none). */
export type Getter<Row> = (row: Row, entity: Entity, key: string) => number | string | undefined

const PREFIX: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
}

class Scanner {
  pos = 0
  constructor(
    readonly text: string,
    readonly field: string,
  ) {}

  fail(why: string): never {
    throw invalidParam(this.field, this.text, `${why} at position ${this.pos}`)
  }

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++
  }

  done(): boolean {
    this.skip()
    return this.pos >= this.text.length
  }

  /** A case-insensitive keyword followed by a non-word character. */
  keyword(word: string): boolean {
    this.skip()
    const s = this.text.slice(this.pos, this.pos + word.length)
    const after = this.text[this.pos + word.length]
    if (s.toLowerCase() === word.toLowerCase() && (after === undefined || !/\w/.test(after))) {
      this.pos += word.length
      return true
    }
    return false
  }

  quoted(): string | undefined {
    this.skip()
    const q = this.text[this.pos]
    if (q !== "'" && q !== '"' && q !== '`') return undefined
    let out = ''
    this.pos++
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++] as string
      if (ch === '\\' && this.pos < this.text.length) out += this.text[this.pos++]
      else if (ch === q) {
        if (this.text[this.pos] === q) {
          out += q
          this.pos++
        } else return out
      } else out += ch
    }
    return this.fail('an unclosed quote')
  }

  bare(): string {
    this.skip()
    const m = /^[^\s=!<>(),'"`]+/.exec(this.text.slice(this.pos))
    if (!m) this.fail('expected a name')
    this.pos += (m as RegExpExecArray)[0].length
    return (m as RegExpExecArray)[0]
  }

  /** `entity.key`, the key bare or quoted; a name without a dot is an attribute. */
  identifier(): { entity: Entity; key: string } {
    this.skip()
    const quoted = this.quoted()
    if (quoted !== undefined) return { entity: 'attribute', key: quoted }
    const word = /^[A-Za-z_]+/.exec(this.text.slice(this.pos))?.[0]
    if (word && this.text[this.pos + word.length] === '.' && PREFIX[word.toLowerCase()]) {
      this.pos += word.length + 1
      const entity = PREFIX[word.toLowerCase()] as Entity
      const key = this.quoted() ?? this.bare()
      return { entity, key }
    }
    return { entity: 'attribute', key: this.bare() }
  }

  operator(): string {
    this.skip()
    const m = /^(<=|>=|!=|<>|=|<|>)/.exec(this.text.slice(this.pos))
    if (m) {
      this.pos += (m[0] as string).length
      return m[0] === '<>' ? '!=' : (m[0] as string)
    }
    for (const op of ['LIKE', 'ILIKE', 'IN']) if (this.keyword(op)) return op
    if (this.keyword('NOT')) {
      if (this.keyword('IN')) return 'NOT IN'
      if (this.keyword('LIKE')) return 'NOT LIKE'
      if (this.keyword('ILIKE')) return 'NOT ILIKE'
      this.fail('expected IN, LIKE or ILIKE after NOT')
    }
    if (this.keyword('IS')) {
      if (this.keyword('NOT')) {
        if (this.keyword('NULL')) return 'IS NOT NULL'
      } else if (this.keyword('NULL')) return 'IS NULL'
      this.fail('expected NULL after IS')
    }
    return this.fail('expected a comparison (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, IS NULL)')
  }

  value(): number | string | string[] {
    this.skip()
    if (this.text[this.pos] === '(') {
      this.pos++
      const items: string[] = []
      for (;;) {
        const q = this.quoted()
        items.push(q ?? this.bare())
        this.skip()
        const ch = this.text[this.pos++]
        if (ch === ')') return items
        if (ch !== ',') this.fail('expected , or ) in a list')
      }
    }
    const q = this.quoted()
    if (q !== undefined) return q
    const m = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf(inity)?|nan)/i.exec(this.text.slice(this.pos))
    if (!m) return this.fail('expected a value (a number, or a string in quotes)')
    this.pos += (m[0] as string).length
    return Number(m[0].replace(/inf(inity)?/i, 'Infinity').replace(/nan/i, 'NaN'))
  }
}

/**
 * Parses an MLflow filter (empty: no clause).
 *
 * @example parseFilter("metrics.acc > 0.9 and params.optimizer = 'adam'")
 */
export function parseFilter(text: string | undefined, field = 'filter'): Clause[] {
  if (!text || text.trim() === '') return []
  const s = new Scanner(text, field)
  const out: Clause[] = []
  for (;;) {
    const { entity, key } = s.identifier()
    const op = s.operator()
    const value = op === 'IS NULL' || op === 'IS NOT NULL' ? null : s.value()
    if ((op === 'IN' || op === 'NOT IN') !== Array.isArray(value)) s.fail(`${op} needs ${Array.isArray(value) ? 'no' : 'a'} list`)
    if (entity === 'metric' && typeof value === 'string') s.fail(`metrics compare with numbers, got '${value}'`)
    out.push({ entity, key, op, value })
    if (s.done()) return out
    if (s.keyword('OR')) s.fail('OR is not supported by MLflow search; use AND')
    if (!s.keyword('AND')) s.fail('expected AND')
  }
}

/**
 * SQL's LIKE in linear time (no RegExp, whose backtracking a pattern such as
 * '%%%%%%%%!' turns exponential): `%` any run, `_` one character; the classic
 * two-pointer match that, on a mismatch, resumes after the last `%` only.
 */
function like(value: string, pattern: string, caseless: boolean): boolean {
  const v = [...(caseless ? value.toLowerCase() : value)]
  const p = [...(caseless ? pattern.toLowerCase() : pattern).replace(/%+/g, '%')]
  let i = 0
  let j = 0
  let star = -1
  let resume = 0
  while (i < v.length) {
    if (j < p.length && p[j] !== '%' && (p[j] === '_' || p[j] === v[i])) {
      i++
      j++
    } else if (j < p.length && p[j] === '%') {
      star = j++
      resume = i
    } else if (star >= 0) {
      j = star + 1
      i = ++resume
    } else return false
  }
  while (j < p.length && p[j] === '%') j++
  return j === p.length
}

function compare(a: number | string, op: string, b: number | string): boolean {
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) b = Number(b)
  if (typeof a === 'string' && typeof b === 'number') a = Number(a)
  switch (op) {
    case '=':
      return a === b
    case '!=':
      return a !== b
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
  }
  return false
}

/** Whether a row matches every clause. */
export function matches<Row>(row: Row, clauses: readonly Clause[], get: Getter<Row>): boolean {
  for (const c of clauses) {
    const v = get(row, c.entity, c.key)
    if (c.op === 'IS NULL') {
      if (v !== undefined) return false
      continue
    }
    if (v === undefined) return false
    if (c.op === 'IS NOT NULL') continue
    if (c.op === 'IN' || c.op === 'NOT IN') {
      const inList = (c.value as string[]).includes(String(v))
      if (inList !== (c.op === 'IN')) return false
      continue
    }
    if (c.op.endsWith('LIKE')) {
      const hit = like(String(v), String(c.value), c.op.endsWith('ILIKE'))
      if (hit === c.op.startsWith('NOT')) return false
      continue
    }
    if (!compare(v, c.op, c.value as number | string)) return false
  }
  return true
}

/** One `order_by` item. */
export interface OrderKey {
  entity: Entity
  key: string
  desc: boolean
}

/**
 * Parses `order_by` items such as `metrics.acc DESC` or `start_time`.
 *
 * @example parseOrderBy(['metrics.`valid/loss` ASC'])
 */
export function parseOrderBy(items: readonly string[]): OrderKey[] {
  return items.map((item) => {
    const s = new Scanner(item, 'order_by')
    const { entity, key } = s.identifier()
    let desc = false
    if (s.keyword('DESC')) desc = true
    else s.keyword('ASC')
    if (!s.done()) s.fail('expected ASC or DESC at the end')
    return { entity, key, desc }
  })
}

/** Sorts rows by the keys; rows without a value (or NaN) come last either way, as MLflow's SQL store orders them. */
export function sortRows<Row>(rows: Row[], keys: readonly OrderKey[], get: Getter<Row>): Row[] {
  const rank = (v: number | string | undefined) => (v === undefined ? 2 : typeof v === 'number' && Number.isNaN(v) ? 1 : 0)
  return rows.sort((a, b) => {
    for (const k of keys) {
      const va = get(a, k.entity, k.key)
      const vb = get(b, k.entity, k.key)
      const ra = rank(va)
      const rb = rank(vb)
      if (ra !== rb) return ra - rb
      if (ra !== 0 || va === vb) continue
      const lt = (va as number | string) < (vb as number | string)
      return (lt ? -1 : 1) * (k.desc ? -1 : 1)
    }
    return 0
  })
}
