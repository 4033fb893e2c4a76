// `/api/downsample` on any store (the team server on PostgreSQL): the same query and
// the same answer as on a file (series-batch.ts), each pair read through the
// store's own downsample(). On a file the SQLite route stays: it writes most of
// the JSON in SQL.
import { Hono } from 'hono'
import { NotFoundError } from '../../errors.js'
import { roundTo } from '../../store/bucket-json.js'
import { columnsJson } from '../../store/downsample-many.js'
import type { Store } from '../../store/store.js'
import { batchBody, parseBatchQuery } from './series-batch.js'

/**
 * One request per chart panel on a store without the file route: every (experiment,
 * series) pair downsampled by the store, concurrently (the pool bounds how many at once);
 * a pair that does not exist is listed in `missing`, as on a file.
 *
 * @example app.route('/api', storeDownsampleRoutes(store))
 */
export function storeDownsampleRoutes(store: Store): Hono {
  const app = new Hono()
  app.get('/downsample', async (c) => {
    const req = parseBatchQuery(c)
    const { q } = req
    const digits = q.digits
    const round = digits === undefined ? (v: number) => v : (v: number) => roundTo(v, digits)
    const read = await Promise.all(
      req.refs.map(async (ref) => {
        let buckets: Awaited<ReturnType<Store['downsample']>>
        try {
          buckets = await store.downsample(ref.exp, ref.key, { buckets: q.buckets, from: q.from, to: q.to })
        } catch (e) {
          if (e instanceof NotFoundError) return undefined
          throw e
        }
        return columnsJson(
          {
            step: buckets.map((b) => b.step),
            time: q.times ? buckets.map((b) => b.time) : undefined,
            last: buckets.map((b) => b.last),
            min: q.bands ? buckets.map((b) => b.min) : undefined,
            max: q.bands ? buckets.map((b) => b.max) : undefined,
            count: buckets.map((b) => b.count),
            nanCount: buckets.map((b) => b.nanCount),
          },
          round,
        )
      }),
    )
    return batchBody(c, req, read)
  })
  return app
}
