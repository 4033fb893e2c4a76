// A look inside an SQLite file before mldb opens it as a database: whether it
// is empty, someone else's, or already mldb's. Read-only, with no pragmas and
// no migrations, so looking changes nothing in the file.
import BetterSqlite3 from 'better-sqlite3'

/** What an SQLite file holds when it is not (yet) an mldb database: no tables, other tables, or mldb's. */
export function sqliteContents(path: string): 'empty' | 'other' | 'mldb' {
  const s = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
  try {
    const tables = s.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").get() as { n: number }
    if (tables.n === 0) return 'empty'
    return s.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'experiments'").get() ? 'mldb' : 'other'
  } finally {
    s.close()
  }
}
