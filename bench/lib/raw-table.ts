import BetterSqlite3 from 'better-sqlite3'

/** The pragmas of an mldb connection that shape write speed and file size. */
export interface FileSettings {
  page_size: number
  journal_mode: string
  synchronous: number
  wal_autocheckpoint: number
  cache_size: number
}

/** Reads the settings an mldb connection runs with, so a baseline can copy them. */
export function readSettings(db: BetterSqlite3.Database): FileSettings {
  const p = (name: string) => db.pragma(name, { simple: true }) as never
  return {
    page_size: p('page_size'),
    journal_mode: p('journal_mode'),
    synchronous: p('synchronous'),
    wal_autocheckpoint: p('wal_autocheckpoint'),
    cache_size: p('cache_size'),
  }
}

/**
 * A plain SQLite file with one table shaped like mldb's `points` and the same
 * settings: the baseline the API's write speed is compared with.
 */
export function openRawPoints(path: string, s: FileSettings): BetterSqlite3.Database {
  const db = new BetterSqlite3(path)
  db.pragma(`page_size = ${s.page_size}`)
  db.pragma(`journal_mode = ${s.journal_mode}`)
  db.pragma(`synchronous = ${s.synchronous}`)
  db.pragma(`wal_autocheckpoint = ${s.wal_autocheckpoint}`)
  db.pragma(`cache_size = ${s.cache_size}`)
  db.exec(`CREATE TABLE IF NOT EXISTS points (
    series_id INTEGER NOT NULL, step INTEGER NOT NULL, seq INTEGER NOT NULL DEFAULT 0, time INTEGER NOT NULL, value REAL,
    PRIMARY KEY (series_id, step, seq)) WITHOUT ROWID`)
  return db
}
