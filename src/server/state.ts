import type { Database } from '../api/database.js'

/**
 * What the routes of one app share: the database, and a counter of writes made
 * through its own connection (PRAGMA data_version only sees other connections'
 * commits, so live updates also watch this).
 */
export interface ServerState {
  db: Database
  localWrites: number
}
