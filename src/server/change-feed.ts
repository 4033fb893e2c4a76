import type { Database } from '../api/database.js'
import { toJson } from '../json.js'
import { changedExperiments, dataVersion } from '../store/changes.js'
import type { ExperimentSummary } from '../store/types.js'

/**
 * Writers stamp a point's time (and updated_at) before their transaction
 * commits, so a row may become visible with a time slightly before the `now`
 * of the previous answer. Looking back this much further than asked makes sure
 * no change falls in that gap; the price is that a change may be sent twice.
 */
export const CHANGES_OVERLAP_MS = 2_000
/** How often the feed looks for commits by other processes. */
const POLL_MS = 500
/** Even without commits, re-check this often: a derived LOST status appears with time alone. */
const IDLE_CHECK_MS = 5_000
/** A comment line this often keeps proxies from closing an idle stream. */
const PING_MS = 15_000

/** The body of /api/changes and of the `changes` event. */
export interface Changes {
  /** pass this back as `since` next time */
  now: number
  experiments: ExperimentSummary[]
  /** names of experiments moved to the trash since then */
  trashed: string[]
}

/**
 * Experiments that changed since `since`, as full table rows.
 *
 * @example
 * const { now, experiments } = changesSince(db, Date.now() - 60_000)
 */
export function changesSince(db: Database, since: number): Changes {
  const now = Date.now()
  const { ids, trashed } = changedExperiments(db.sqlite, since - CHANGES_OVERLAP_MS, now)
  const experiments = ids.length ? db.listExperiments({ ids }) : []
  return { now, experiments, trashed }
}

/** One open event stream, as the feed sees it. */
export interface FeedSubscriber {
  /** an SSE event with JSON data */
  send(event: string, data: string): void
  /** an SSE comment, to keep the connection open */
  ping(): void
  /** the feed cannot go on (database closed or unreadable): say so and end the stream */
  fail(message: string): void
}

/**
 * One poller per server, fanning change events out to every open stream: 400
 * streams cost one `data_version` check per tick and one changes query per
 * commit, not 400 of each. It runs only while someone listens.
 *
 * @example
 * const feed = new ChangeFeed(db, () => state.localWrites)
 * const stop = feed.subscribe({ send: (e, d) => ..., ping: () => ..., fail: (m) => ... })
 */
export class ChangeFeed {
  readonly #db: Database
  readonly #localWrites: () => number
  readonly #subscribers = new Set<FeedSubscriber>()
  #timer: ReturnType<typeof setInterval> | undefined
  #since = 0
  #version = 0
  #lastCheck = 0
  #lastPing = 0

  constructor(db: Database, localWrites: () => number) {
    this.#db = db
    this.#localWrites = localWrites
  }

  /** How many streams listen now. */
  get size(): number {
    return this.#subscribers.size
  }

  /** Adds a stream; the returned function removes it. */
  subscribe(subscriber: FeedSubscriber): () => void {
    this.#subscribers.add(subscriber)
    if (this.#timer === undefined) this.#start()
    return () => {
      this.#subscribers.delete(subscriber)
      if (this.#subscribers.size === 0) this.#stop()
    }
  }

  #start(): void {
    const now = Date.now()
    this.#since = now
    this.#lastCheck = now
    this.#lastPing = now
    try {
      this.#version = this.#currentVersion()
    } catch {
      // the first tick reports it to the subscribers
      this.#version = -1
    }
    this.#timer = setInterval(() => this.#tick(), POLL_MS)
    // Open streams keep the process alive, not this timer.
    this.#timer.unref()
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }

  #currentVersion(): number {
    return dataVersion(this.#db.sqlite) + this.#localWrites()
  }

  #tick(): void {
    const subscribers = [...this.#subscribers]
    try {
      const v = this.#currentVersion()
      const t = Date.now()
      if (v !== this.#version || t - this.#lastCheck >= IDLE_CHECK_MS) {
        this.#version = v
        this.#lastCheck = t
        const changes = changesSince(this.#db, this.#since)
        this.#since = changes.now
        if (changes.experiments.length || changes.trashed.length) {
          const data = toJson(changes)
          for (const s of subscribers) s.send('changes', data)
          this.#lastPing = t
        }
      }
      if (t - this.#lastPing >= PING_MS) {
        for (const s of subscribers) s.ping()
        this.#lastPing = t
      }
    } catch (e) {
      // The server is closing (database closed) or the file became unreadable:
      // every client reconnects or falls back to /api/changes.
      this.#subscribers.clear()
      this.#stop()
      for (const s of subscribers) s.fail((e as Error).message)
    }
  }
}
