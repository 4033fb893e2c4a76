// The seed's raw SQL writes strings in double quotes (`STATUS.STATUS="COMPLETE"`).
// SQLite accepts that only as a legacy fallback (SQLITE_DQS) that better-sqlite3
// compiles out and offers no switch for (no sqlite3_db_config), while Python's
// sqlite3 keeps it on. So we do what the fallback does, with SQLite as the judge:
// prepare the statement; when SQLite says a double-quoted name is no column,
// turn that token into a single-quoted string and prepare again. A double-quoted
// name that IS a column (`"STATUS"`) is never reported, so it stays an identifier.

/** A double-quoted token of an SQL text: where it is and the name it spells. */
interface QuotedToken {
  start: number
  end: number
  name: string
  /** `t."x"` or `"t".x`: part of a qualified name, never a string */
  qualified: boolean
}

/** Where each double-quoted token is, skipping strings, comments and other quotes. */
function quotedTokens(sql: string): QuotedToken[] {
  const tokens: QuotedToken[] = []
  let i = 0
  const closing = (quote: string, from: number): number => {
    let j = from
    for (;;) {
      const k = sql.indexOf(quote, j)
      if (k < 0) return sql.length
      if (quote !== ']' && sql[k + 1] === quote) j = k + 2
      else return k + 1
    }
  }
  while (i < sql.length) {
    const c = sql[i] as string
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i)
      i = nl < 0 ? sql.length : nl + 1
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (c === "'" || c === '`' || c === '[') {
      i = closing(c === '[' ? ']' : c, i + 1)
    } else if (c === '"') {
      const end = closing('"', i + 1)
      const before = sql.slice(0, i).trimEnd()
      const after = sql.slice(end).trimStart()
      tokens.push({ start: i, end, name: sql.slice(i + 1, end - 1).replaceAll('""', '"'), qualified: before.endsWith('.') || after.startsWith('.') })
      i = end
    } else i++
  }
  return tokens
}

/** The name SQLite could not resolve, from "no such column: "X" - should this be ..." or "no such column: X". */
function missingColumn(e: unknown): string | undefined {
  const message = e instanceof Error ? e.message : ''
  const hinted = /^no such column: "(.*)" - should this be a string literal in single-quotes\?$/s.exec(message)
  if (hinted) return hinted[1]
  return /^no such column: (.*)$/s.exec(message)?.[1]
}

/**
 * Prepares `sql` with `prepare`; when it fails only because a double-quoted
 * token names no column, retries with that token as a single-quoted string
 * (what SQLite's legacy double-quoted-string fallback does). Any other failure
 * is thrown as SQLite reported it.
 *
 * @example
 * prepareAllowingDoubleQuotedStrings('SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS="COMPLETE"', (s) => sqlite.prepare(s))
 * // prepares SELECT EXP_ID FROM STATUS WHERE STATUS.STATUS='COMPLETE'
 */
export function prepareAllowingDoubleQuotedStrings<S>(sql: string, prepare: (sql: string) => S): S {
  let text = sql
  for (;;) {
    try {
      return prepare(text)
    } catch (e) {
      const name = missingColumn(e)
      const hits = name === undefined ? [] : quotedTokens(text).filter((t) => !t.qualified && t.name === name)
      if (hits.length === 0) throw e
      // from the end, so earlier offsets stay valid
      for (const t of hits.reverse()) text = `${text.slice(0, t.start)}'${t.name.replaceAll("'", "''")}'${text.slice(t.end)}`
    }
  }
}
