import { random } from './ops.js'

/**
 * Seeded random filters, sort keys and dates from the grammar of docs/schema.md
 * ("Filter language"), for the differential fuzz tests: both clients must read
 * each alike. Some are broken on purpose (a token cut, a stray character), so
 * the errors and their columns are compared too. Same seed, same strings.
 */
export class FilterGen {
  private readonly rnd: () => number
  constructor(seed: number) {
    this.rnd = random(seed)
  }

  private int(n: number): number {
    return Math.floor(this.rnd() * n)
  }
  private chance(p: number): boolean {
    return this.rnd() < p
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T
  }

  /** A keyword or attribute name in some ASCII case: `and`, `AND`, `aNd`. */
  private word(w: string): string {
    if (this.chance(0.6)) return w
    // letters whose Unicode case mapping lands on ASCII (Kelvin K, long s, dotless i): not keywords
    if (this.chance(0.05)) return w.replace('k', '\u212a').replace('s', '\u017f').replace('i', '\u0131')
    if (this.chance(0.5)) return w.toUpperCase()
    return Array.from(w, (c) => (this.chance(0.5) ? c.toUpperCase() : c)).join('')
  }

  /** White space between tokens: usually one space, sometimes none or another White_Space character. */
  private ws(): string {
    if (this.chance(0.7)) return ' '
    return this.pick(['', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2028', '\u2009', '\u0085', '\u000b', ' \u202f '])
  }

  /** A number in one of the language's notations. */
  number(): string {
    const sign = this.pick(['', '', '', '-', '+'])
    switch (this.int(11)) {
      case 0:
        return sign + String(this.int(5))
      case 1:
        return `${sign}0.${this.pick(['1', '01', '05', '3', '5', '25', '001'])}`
      case 2:
        return `${sign}.${this.pick(['5', '1', '25', '0'])}`
      case 3:
        return `${sign}${this.int(3)}.`
      case 4:
        return `${sign}${this.pick(['1', '2.5', '.5', '5'])}${this.pick(['e', 'E'])}${this.pick(['', '+', '-'])}${this.pick(['0', '1', '2', '3', '02', '999', '400'])}`
      case 5:
        return this.pick(['inf', 'Infinity', '-inf', '+INF', '-Infinity', 'INFINITY', '-iNf'])
      case 6:
        return sign + this.pick(['9007199254740993', '1e21', '12345678901234567890', '1e-7', '0.1000000000000000055511151231257827'])
      case 7:
        return sign + String(this.int(1000) / 100)
      case 8:
        return this.pick(['1785715200000', '1785751200000', '0', '1e13', '-1', '1785715200000.5'])
      case 9:
        // at the edges of the number syntax: what follows a number, or what is almost one
        return this.pick([
          '007',
          '1e',
          '1e+',
          '1.2.3',
          '--1',
          '+-1',
          '1_000',
          '0x10',
          '.e1',
          '1..2',
          '-.',
          '+.5e-3',
          '1ee2',
          '1e2e3',
          '2e-400',
          '4.9e-324',
          '1.7976931348623159e308',
          '١',
          '1٢',
        ])
      default:
        return `${sign}${this.int(20)}`
    }
  }

  /** A quoted string, the quote doubled inside. */
  string(text?: string): string {
    const body =
      text ??
      this.pick([
        'adam',
        'sgd',
        'ADAM',
        'vision',
        "it's",
        'say "hi"',
        'a%',
        '%a%',
        '_',
        'ad_m',
        'A%',
        'Ä%',
        'ä%',
        'héllo ✓',
        '😀',
        '学习率',
        '',
        ' ',
        'COMPLETE',
        'complete',
        'Training',
        'lost',
        'failed',
        'custom',
        '1',
        '1e0',
        'true',
        "x' OR 1=1 --",
        'iris',
        'mnist',
        'default',
        'a',
        'b',
        'e3',
        'two\nlines',
      ])
    const withCp = text === undefined && this.chance(0.1) ? `${body}${this.codePoint()}` : body
    const q = this.chance(0.7) ? "'" : '"'
    return q + withCp.replaceAll(q, q + q) + q
  }

  /** A date as ISO 8601 wants it, or nearly: the contract accepts some and refuses the rest. */
  date(): string {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0')
    const y = this.pick([2026, 2026, 2026, 2025, 2024, 2000, 1970, 1900, 0, 9999])
    const m = this.chance(0.9) ? 1 + this.int(12) : this.pick([0, 13])
    const d = this.chance(0.85) ? 1 + this.int(28) : this.pick([29, 30, 31, 0, 32])
    let s = `${pad(y, 4)}-${pad(m)}-${pad(d)}`
    if (this.chance(0.6)) {
      const h = this.chance(0.95) ? this.int(24) : this.pick([24, 25])
      const mi = this.chance(0.95) ? this.int(60) : 60
      s += this.pick(['T', 'T', 't', ' ']) + `${pad(h)}:${pad(mi)}`
      if (this.chance(0.6)) {
        s += `:${pad(this.chance(0.95) ? this.int(60) : 60)}`
        if (this.chance(0.4)) s += `.${this.pick(['1', '12', '123', '1239', '999999', '000', '5'])}`
      }
      if (this.chance(0.6)) {
        s += this.pick(['Z', 'z', '+02:00', '-01:30', '+0530', '-0800', '+14:00', '+25:00', '+05:60', '+5:00', '+05:3'])
      }
    }
    if (this.chance(0.12)) {
      // spellings the contract refuses, or mangled ones
      s = this.pick([
        'Aug 3 2026',
        '2026/08/03',
        '03.08.2026',
        '2026-8-3',
        '20260803',
        '2026-08-03 ',
        ' 2026-08-03',
        '2026-08-03T10',
        '2026-08-03T10:00:00,5Z',
        'yesterday',
        '2026-W31',
        '2026-215',
        '+002026-08-03',
        '２０２６-08-03',
        '2026-08-03T10:00:00.Z',
        '2026-08-03\n',
        '2026-08-03T10:00Z\n',
        '2026-08-03T10:00:00.123456789-00:00',
        '2026-08-03T10:00+00',
        '2026-08-03T１０:00Z',
        '',
      ])
    }
    return s
  }

  /** A field of the fixture's file, an attribute, a short form, or one that names nothing. */
  field(): string {
    const r = this.int(12)
    if (r < 3) return this.word(this.pick(['name', 'project', 'status', 'host', 'notes', 'created', 'started', 'ended', 'updated', 'duration']))
    if (r < 5) {
      const key = this.pick([
        'lr',
        'opt',
        'flag',
        'layers',
        'big',
        'neg',
        'note',
        'dup',
        'gross',
        'none',
        'missing',
        'model.depth',
        '学习率',
        '`learning rate`',
        '`it``s`',
        '`a b`',
      ])
      return `${this.word(this.pick(['params', 'params', 'param']))}.${key}`
    }
    if (r < 6) return `${this.word(this.pick(['tags', 'tag']))}.${this.pick(['team', 'flag', 'n', 'missing', '`with space`'])}`
    if (r < 9) {
      const key = this.pick(['valid/loss', 'train/loss', 'rmse', 'acc', 'dup', 'valid/acc', '`top-1 acc`', 'genauigkeit_ü', 'missing'])
      const metric = `${this.word(this.pick(['metrics', 'metrics', 'metric']))}.${key}`
      return this.chance(0.4) ? `${this.word(this.pick(['min', 'max', 'count', 'last']))}(${metric})` : metric
    }
    // short forms: a param, a series, both (dup), neither
    if (this.chance(0.05)) return `${this.word('params')}.${this.codePoint()}${this.chance(0.5) ? this.codePoint() : ''}`
    const bare = this.pick(['lr', 'opt', 'valid/loss', 'rmse', 'dup', 'nothing', 'gross', 'model.depth', '学习率', 'genauigkeit_ü'])
    return this.chance(0.3) ? `${this.word(this.pick(['min', 'max', 'count']))}(${bare})` : bare
  }

  /** A value of any type, mostly the one the field compares with. */
  private value(field: string): string {
    const f = field.toLowerCase()
    if (/^(created|started|ended|updated)$/.test(f) && this.chance(0.8)) return this.chance(0.85) ? this.string(this.date()) : this.number()
    const r = this.int(10)
    if (r < 4) return this.number()
    if (r < 8) return this.string()
    if (r < 9) return this.word(this.pick(['true', 'false']))
    return this.word(this.pick(['null', 'nan', 'inf', 'nope']))
  }

  /** One comparison. */
  comparison(): string {
    const field = this.field()
    const w = () => this.ws()
    const r = this.int(20)
    if (r < 2) return `${field}${w()}${this.word('is')}${w()}${this.chance(0.5) ? `${this.word('not')}${w()}` : ''}${this.word('null')}`
    if (r < 4) {
      const n = 1 + this.int(4)
      const one = this.chance(0.85)
      const first = this.value(field)
      const kind = first.startsWith("'") || first.startsWith('"') ? 's' : /^[-+.0-9]/.test(first) || /inf/i.test(first) ? 'n' : 'o'
      const values = Array.from({ length: n }, (_, i) =>
        i === 0 ? first : one ? (kind === 's' ? this.string() : kind === 'n' ? this.number() : first) : this.value(field),
      )
      return `${field}${w()}${this.chance(0.3) ? `${this.word('not')}${w()}` : ''}${this.word('in')}${w()}(${values.join(`,${w()}`)})`
    }
    if (r < 6)
      return `${field}${w()}${this.chance(0.3) ? `${this.word('not')}${w()}` : ''}${this.word('like')}${w()}${this.chance(0.9) ? this.string() : this.number()}`
    const op = this.pick(['=', '==', '!=', '<>', '<', '<=', '>', '>='])
    return `${field}${w()}${op}${w()}${this.value(field)}`
  }

  /** A whole filter: comparisons under and/or/not and parentheses. */
  filter(depth = 0): string {
    const w = () => this.ws()
    const r = this.int(10)
    if (depth >= 3 || r < 4) return this.comparison()
    if (r < 6) return `${this.word('not')}${w()}${this.filter(depth + 1)}`
    if (r < 8) return `(${w()}${this.filter(depth + 1)}${w()})`
    const n = 2 + this.int(3)
    return Array.from({ length: n }, () => this.filter(depth + 1)).join(`${w()}${this.word(this.pick(['and', 'or']))}${w()}`)
  }

  /** A filter, broken on purpose now and then: a code point dropped, one inserted, the text cut. */
  maybeBroken(text: string): string {
    if (!this.chance(0.2)) return text
    const cps = Array.from(text)
    const at = this.int(cps.length + 1)
    switch (this.int(5)) {
      case 0:
        cps.splice(at, 1)
        break
      case 4:
        cps.splice(at, 0, this.codePoint())
        break
      case 1:
        cps.splice(
          at,
          0,
          this.pick([
            ';',
            '#',
            '?',
            '~',
            '`',
            "'",
            '"',
            '(',
            ')',
            ',',
            '\u200b',
            '\ufeff',
            '\u180e',
            '\u001c',
            '\u001f',
            '\u0085',
            '😀',
            '\u0000',
            '.',
            '-',
            'é',
            '!',
            '&&',
          ]),
        )
        break
      case 2:
        cps.length = at
        break
      default:
        cps.splice(at, 0, ` ${this.pick(['and', 'or', 'not', 'in', 'is', 'like', '1', "'x'"])} `)
    }
    return cps.join('')
  }

  /**
   * Any code point, mostly from the planes in use: letters and digits of every script
   * and Unicode version, marks, symbols, unassigned ones, lone surrogates.
   */
  codePoint(): string {
    const r = this.int(4)
    // letters of Unicode 15-17 (U+A7CB, U+1E030, U+11380), which older Unicode tables lack
    if (r === 0) return this.pick(['\udc00', '\ud83d', '\ua7cb', '\u{1e030}', '\u{11380}', '\u0c5c', '\u{16d40}', '\u{1e4f0}'])
    const cp = r === 1 ? this.int(0x3000) : r === 2 ? this.int(0x10000) : this.int(0x40000)
    // a surrogate stands alone: text no Unicode encoding can hold, which both must refuse alike
    return String.fromCodePoint(cp)
  }

  /** A series key as the API takes it (`split/name` or `name`), mostly one of the fixture's. */
  seriesKey(): string {
    if (this.chance(0.1)) return this.pick(['', ' ', 'valid/', '/loss', 'a/b/c', this.codePoint()])
    return this.pick(['valid/loss', 'train/loss', 'rmse', 'acc', 'valid/acc', 'top-1 acc', 'genauigkeit_ü', 'dup', 'missing', 'loss'])
  }

  /** A sort key: a field and maybe a direction. */
  orderBy(): string {
    const dir = this.pick(['', '', ` ${this.word('asc')}`, ` ${this.word('desc')}`, ' sideways', ` ${this.word('desc')} desc`])
    return this.maybeBroken(`${this.field()}${dir}`)
  }
}
