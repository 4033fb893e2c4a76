import { statSync } from 'node:fs'
import { Hono } from 'hono'
import { z } from 'zod'
import { NAME_LIMITS } from '../../api/validate.js'
import { ValidationError } from '../../errors.js'
import type { ModelState, ModelVersion } from '../../registry/types.js'
import type { Store } from '../../store/store.js'
import { jsonResponse } from '../errors.js'
import { jsonValidator, noQuery, queryValidator } from '../validators.js'
import { artifactPath } from './artifacts.js'
import { pointValue, unicodeOnly, writeId } from './write-schemas.js'

const metric = z.strictObject({
  name: z.string().min(1).max(NAME_LIMITS.series),
  split: z.string().max(NAME_LIMITS.split),
  count: z.number().int().min(0),
  lastStep: z.number().int().nullable(),
  last: pointValue,
  min: pointValue,
  max: pointValue,
})

/** POST /api/models/{name}/versions: a version registered on another machine, its bytes already PUT to /api/artifacts/{sha256}. */
export const registerBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    exp: z.string().min(1).max(NAME_LIMITS.experiment).describe("the experiment's name"),
    path: z.string().min(1).max(4096).describe("the file's path on the registering machine"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
    size: z.number().int().min(0),
    params: z.record(z.string(), z.json()).default({}),
    metrics: z.array(metric).max(10_000).default([]),
    aliases: z.array(z.string()).max(100).default([]),
    description: z.string().default(''),
    tags: z.record(z.string(), z.string()).optional(),
    by: z.string().max(256).default('').describe('user@host, for the alias history'),
  }),
)

/** POST /api/models/{name}/aliases: points an alias at a version, or removes it (version null). */
export const aliasBody = unicodeOnly(
  z.strictObject({
    ...writeId,
    alias: z.string().min(1).max(64),
    version: z.number().int().min(1).nullable(),
    by: z.string().max(256).default(''),
  }),
)

/** `name/3`, `name@alias` or `name` (latest) from the route's `:ref` (a number, an alias or `latest`). */
function refOf(name: string, ref: string): string {
  if (ref === 'latest') return name
  return /^\d+$/.test(ref) ? `${name}/${ref}` : `${name}@${ref}`
}

/**
 * The registry's writes on `mldb server` (any Store): a client registers a
 * version and moves aliases here directly, not through the delayed sync
 * sender, so every machine sees one numbering and one alias at a time.
 * `readRoutes`: also GET /models and /models/{name}, which the SQLite-only
 * dashboard routes serve otherwise.
 *
 * @example app.route('/api', registryWriteRoutes(store, { readRoutes: true, artifactsDir }))
 */
export function registryWriteRoutes(store: Store, options: { readRoutes: boolean; artifactsDir: string }): Hono {
  const app = new Hono()

  app.post('/models/:name/versions', jsonValidator(registerBody), async (c) => {
    const b = c.req.valid('json')
    const size = await store.artifactSize(b.sha256)
    if (size === undefined)
      throw new ValidationError(`the server holds no bytes of ${b.sha256}; PUT the file to /api/artifacts/${b.sha256} first, then register`, 'sha256')
    if (size !== b.size) throw new ValidationError(`the artifact ${b.sha256} is ${size} bytes, not ${b.size}`, 'size')
    const { client, seq, aliases, description, tags, by, ...evidence } = b
    const r = await store.registry.register(
      { client, seq },
      { name: c.req.param('name'), evidence, aliases, description, by, ...(tags === undefined ? {} : { tags }) },
    )
    return jsonResponse(c, { ok: true, duplicate: r.duplicate, version: r.version }, r.duplicate ? 200 : 201)
  })

  app.post('/models/:name/aliases', jsonValidator(aliasBody), async (c) => {
    const b = c.req.valid('json')
    const r = await store.registry.setAlias(b, c.req.param('name'), b.alias, b.version, b.by)
    return jsonResponse(c, { ok: true, duplicate: r.duplicate })
  })

  app.get('/models/:name/versions/:ref', noQuery, async (c) => {
    return jsonResponse(c, { version: await store.registry.get(refOf(c.req.param('name'), c.req.param('ref'))) })
  })

  if (options.readRoutes) {
    // ?verify=true (the Models page's button) asks the same: the artifact store hash-checked the bytes when they came.
    const stateQuery = z.strictObject({ verify: z.enum(['true', 'false']).optional() })
    // On a team server a version's file lives on the machine that registered it; what the
    // server can vouch for is its artifact store: 'ok' when it holds a file of that sha256 and
    // size (registering requires the upload; the upload checked the hash), else 'missing'.
    const stored = (v: ModelVersion): ModelState => {
      const st = statSync(artifactPath(options.artifactsDir, v.sha256), { throwIfNoEntry: false })
      return st?.isFile() && st.size === v.size ? 'ok' : 'missing'
    }
    const withState = (versions: ModelVersion[]) => versions.map((v) => ({ ...v, state: stored(v) }))
    app.get('/models', queryValidator(stateQuery), async (c) => {
      return jsonResponse(c, { models: await store.registry.list() })
    })
    app.get('/models/:name', queryValidator(stateQuery), async (c) => {
      const name = c.req.param('name')
      const versions = await store.registry.versions(name)
      const model = (await store.registry.list()).find((m) => m.name === name)
      return jsonResponse(c, { model, versions: withState(versions), history: await store.registry.history(name) })
    })
    // The experiment page's "registered as" list (on a file: routes/models.ts).
    app.get('/experiments/:name/models', queryValidator(stateQuery), async (c) => {
      const exp = c.req.param('name')
      const models = await store.registry.list()
      const versions = (await Promise.all(models.map((m) => store.registry.versions(m.name)))).flat().filter((v) => v.exp === exp)
      return jsonResponse(c, { versions: withState(versions) })
    })
  }
  return app
}
