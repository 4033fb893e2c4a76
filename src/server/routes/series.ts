import { Hono } from 'hono'
import { z } from 'zod'
import { parseSeriesKey } from '../../query/filter.js'
import { BEFORE_FIRST_STEP, MAX_STEP } from '../../store/steps.js'
import { jsonResponse } from '../errors.js'
import { intParam, numParam } from '../query-params.js'
import type { ServerState } from '../state.js'
import { noQuery, queryValidator } from '../validators.js'

/** Raw points per request; a live client asks for what follows its last step, so this is rarely reached. */
const MAX_POINTS = 1_000_000

const seriesKey = z.string().min(1, 'name a series such as "valid/loss" or "rmse"')

const pointsQuery = z.strictObject({
  series: seriesKey,
  // omitted: from the start (BEFORE_FIRST_STEP); steps may be negative
  after: intParam(BEFORE_FIRST_STEP, MAX_STEP).optional(),
  limit: intParam(1, MAX_POINTS).default(100_000),
})

const downsampleQuery = z.strictObject({
  series: seriesKey,
  buckets: intParam(1, 100_000).default(1000),
  // a chart's zoom edges need not be whole steps: widen to the steps around them
  from: numParam.transform(Math.floor).optional(),
  to: numParam.transform(Math.ceil).optional(),
})

/** A series' summaries, its raw points after a step, and its downsampled buckets. */
export function seriesRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/experiments/:name/series', noQuery, (c) => {
    return jsonResponse(c, { series: db.getSeries(c.req.param('name')) })
  })

  app.get('/experiments/:name/points', queryValidator(pointsQuery), (c) => {
    const q = c.req.valid('query')
    const { name, split } = parseSeriesKey(q.series)
    const points = db.getMetricValues(c.req.param('name'), name, { split, afterStep: q.after, limit: q.limit })
    // Triples, not objects: a third of the bytes for long histories.
    return jsonResponse(c, { series: q.series, points: points.map((p) => [p.step, p.time, p.value]) })
  })

  app.get('/experiments/:name/downsample', queryValidator(downsampleQuery), (c) => {
    const q = c.req.valid('query')
    const buckets = db.downsample(c.req.param('name'), q.series, { buckets: q.buckets, from: q.from, to: q.to })
    return jsonResponse(c, { series: q.series, buckets })
  })

  return app
}
