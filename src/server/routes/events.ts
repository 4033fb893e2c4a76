import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import { toJson } from '../../json.js'
import { changesSince, type FeedSubscriber } from '../change-feed.js'
import { clientAddress } from '../connection.js'
import { jsonResponse } from '../errors.js'
import { numParam } from '../query-params.js'
import type { ServerState } from '../state.js'
import { queryValidator } from '../validators.js'

/**
 * Events queued for a client that does not read them; past this the stream is
 * ended (the client reconnects with `since`) rather than buffered without end.
 */
const MAX_QUEUED = 64

const sinceParam = numParam.transform(Math.floor)
const changesQuery = z.strictObject({ since: sinceParam })

/** Live updates: polling (/changes) and Server-Sent Events (/events), fed by the server's one poller. */
export function eventRoutes(state: ServerState): Hono {
  const { db, feed, streams } = state
  const app = new Hono()

  app.get('/changes', queryValidator(changesQuery), (c) => {
    const q = c.req.valid('query')
    return jsonResponse(c, changesSince(db, q.since))
  })

  app.get('/events', queryValidator(z.strictObject({ since: sinceParam.optional() })), (c) => {
    const q = c.req.valid('query')
    const release = streams.acquire(clientAddress(c))
    return streamSSE(c, async (stream) => {
      let finish!: () => void
      const finished = new Promise<void>((resolve) => {
        finish = resolve
      })
      stream.onAbort(finish)
      // Writes to one stream go out in order; a client that stops reading is dropped.
      let queue = Promise.resolve()
      let queued = 0
      const enqueue = (write: () => Promise<unknown>) => {
        if (queued >= MAX_QUEUED) return stream.abort()
        queued++
        queue = queue.then(write).then(
          () => void queued--,
          () => void queued--,
        )
      }
      const subscriber: FeedSubscriber = {
        send: (event, data) => enqueue(() => stream.writeSSE({ event, data })),
        ping: () => enqueue(() => stream.write(': ping\n\n')),
        fail: (message) => {
          enqueue(() => stream.writeSSE({ event: 'error', data: toJson({ error: { code: 'internal', message } }) }))
          queue.then(finish)
        },
      }
      let unsubscribe: (() => void) | undefined
      try {
        const now = Date.now()
        await stream.writeSSE({ event: 'ready', data: toJson({ now: q.since ?? now }) })
        unsubscribe = feed.subscribe(subscriber)
        // A reconnecting client catches up once on its own; the shared feed covers the rest.
        if (q.since !== undefined) {
          const missed = changesSince(db, q.since)
          if (missed.experiments.length || missed.trashed.length) subscriber.send('changes', toJson(missed))
        }
        await finished
      } catch (e) {
        if (!stream.aborted) await stream.writeSSE({ event: 'error', data: toJson({ error: { code: 'internal', message: (e as Error).message } }) })
      } finally {
        unsubscribe?.()
        release()
      }
    })
  })

  return app
}
