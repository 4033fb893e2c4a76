import type { Database } from '../api/database.js'
import type { ChangeFeed } from './change-feed.js'
import type { StreamLimiter } from './stream-limiter.js'

/**
 * What the routes of one app share: the database, a counter of writes made
 * through its own connection (PRAGMA data_version only sees other connections'
 * commits, so live updates also watch this), the one change poller that feeds
 * every event stream, and the per-client count of open streams.
 */
export interface ServerState {
  db: Database
  localWrites: number
  feed: ChangeFeed
  streams: StreamLimiter
}
