import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import type { Database } from '../../api/database.js'
import { toJson } from '../../json.js'
import { changedExperiments, dataVersion } from '../../store/changes.js'
import type { ExperimentSummary } from '../../store/types.js'
import { jsonResponse } from '../errors.js'
import type { ServerState } from '../state.js'
import { numParam, parseQuery } from '../validate.js'

/**
 * Writers stamp a point's time (and updated_at) before their transaction
 * commits, so a row may become visible with a time slightly before the `now`
 * of the previous answer. Looking back this much further than asked makes sure
 * no change falls in that gap; the price is that a change may be sent twice.
 */
export const CHANGES_OVERLAP_MS = 2_000
/** How often the event stream looks for commits by other processes. */
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

/** Experiments that changed since `since`, as full table rows. */
export function changesSince(db: Database, since: number): Changes {
  const now = Date.now()
  const { ids, trashed } = changedExperiments(db.sqlite, since - CHANGES_OVERLAP_MS, now)
  const experiments = ids.length ? db.listExperiments({ ids }) : []
  return { now, experiments, trashed }
}

const sinceParam = numParam.transform(Math.floor)
const changesQuery = z.strictObject({ since: sinceParam })

/** Live updates: polling (/changes) and Server-Sent Events (/events). */
export function eventRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/changes', (c) => {
    const q = parseQuery(c, changesQuery)
    return jsonResponse(c, changesSince(db, q.since))
  })

  app.get('/events', (c) => {
    const q = parseQuery(c, z.strictObject({ since: sinceParam.optional() }))
    return streamSSE(c, async (stream) => {
      let since = q.since ?? Date.now()
      let version = dataVersion(db.sqlite) + state.localWrites
      let lastCheck = Date.now()
      let lastWrite = Date.now()
      await stream.writeSSE({ event: 'ready', data: toJson({ now: since }) })
      while (!stream.aborted && !stream.closed) {
        await stream.sleep(POLL_MS)
        if (stream.aborted) break
        try {
          const v = dataVersion(db.sqlite) + state.localWrites
          const t = Date.now()
          if (v !== version || t - lastCheck >= IDLE_CHECK_MS) {
            version = v
            lastCheck = t
            const changes = changesSince(db, since)
            since = changes.now
            if (changes.experiments.length || changes.trashed.length) {
              await stream.writeSSE({ event: 'changes', data: toJson(changes) })
              lastWrite = t
            }
          }
          if (t - lastWrite >= PING_MS) {
            await stream.write(': ping\n\n')
            lastWrite = t
          }
        } catch (e) {
          // The server is closing (database closed) or the file became unreadable:
          // tell the client, which reconnects or falls back to /api/changes.
          if (!stream.aborted) await stream.writeSSE({ event: 'error', data: toJson({ error: { code: 'internal', message: (e as Error).message } }) })
          break
        }
      }
    })
  })

  return app
}
