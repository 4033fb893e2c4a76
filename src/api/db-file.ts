// What a database file holds before it is opened as one, for the CLI's open
// errors: it must not open someone else's SQLite file read-write.
import { sqliteContents as contentsOf } from '../store/sqlite-contents.js'

/** What an SQLite file holds when it is not (yet) an mldb database: no tables, other tables, or mldb's. Throws if SQLite cannot read it. */
export function sqliteContents(path: string): 'empty' | 'other' | 'mldb' {
  return contentsOf(path)
}
