import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { Hono } from 'hono'
import type { Store } from '../../store/store.js'
import { errorResponse, jsonResponse } from '../errors.js'
import { fileHeaders } from '../file-headers.js'

const SHA = /^[0-9a-f]{64}$/

/** Where one artifact lives: two levels by the hash's first bytes, so no folder holds millions of files. */
export const artifactPath = (dir: string, sha: string) => join(dir, sha.slice(0, 2), sha.slice(2, 4), sha)

class TooLarge extends Error {}

/**
 * The artifact store of `mldb server`: one file per sha256 under `dir`, so the
 * same checkpoint uploaded twice is kept once. PUT streams the body to a
 * temporary file while hashing it (never all in memory), refuses it past
 * `maxBytes` (413) or when its hash is not the one named (400), then renames it
 * into place. GET streams it back.
 *
 * @example app.route('/api', artifactRoutes(store, '/srv/mldb/artifacts', 10 * 2 ** 30))
 */
export function artifactRoutes(store: Store, dir: string, maxBytes: number): Hono {
  const app = new Hono()
  const tmp = join(dir, 'tmp')

  app.put('/artifacts/:sha', async (c) => {
    const sha = c.req.param('sha')
    if (!SHA.test(sha)) return errorResponse(c, 400, 'bad_request', 'the artifact name must be its sha256: 64 lowercase hex digits')
    const declared = Number(c.req.header('content-length') ?? Number.NaN)
    if (declared > maxBytes)
      return errorResponse(c, 413, 'too_large', `the artifact is ${declared} bytes; this server takes at most ${maxBytes} (--max-artifact-bytes)`)
    const final = artifactPath(dir, sha)
    if ((await store.artifactSize(sha)) !== undefined && existsSync(final)) {
      await c.req.raw.body?.cancel().catch(() => {})
      return jsonResponse(c, { ok: true, sha256: sha, size: statSync(final).size, duplicate: true })
    }
    mkdirSync(tmp, { recursive: true })
    const part = join(tmp, `${sha}.${randomBytes(6).toString('hex')}`)
    const hash = createHash('sha256')
    let size = 0
    const count = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length
        if (size > maxBytes) return cb(new TooLarge())
        hash.update(chunk)
        cb(null, chunk)
      },
    })
    const body = c.req.raw.body
    if (!body) return errorResponse(c, 400, 'bad_request', "send the file's bytes as the request body")
    const out = createWriteStream(part)
    try {
      await pipeline(Readable.fromWeb(body as WebReadableStream), count, out)
    } catch (e) {
      // The file may still be opening when the pipeline fails: remove it once closed.
      if (!out.closed) await once(out, 'close').catch(() => {})
      rmSync(part, { force: true })
      if (e instanceof TooLarge) return errorResponse(c, 413, 'too_large', `the artifact is over ${maxBytes} bytes, this server's limit (--max-artifact-bytes)`)
      throw e
    }
    const got = hash.digest('hex')
    if (got !== sha) {
      rmSync(part, { force: true })
      return errorResponse(c, 400, 'bad_request', `the body's sha256 is ${got}, not ${sha}; upload the file under its own hash`)
    }
    mkdirSync(join(dir, sha.slice(0, 2), sha.slice(2, 4)), { recursive: true })
    renameSync(part, final)
    await store.addArtifact(sha, size)
    return jsonResponse(c, { ok: true, sha256: sha, size, duplicate: false }, 201)
  })

  app.get('/artifacts/:sha', async (c) => {
    const sha = c.req.param('sha')
    if (!SHA.test(sha)) return errorResponse(c, 400, 'bad_request', 'the artifact name must be its sha256: 64 lowercase hex digits')
    const size = await store.artifactSize(sha)
    const file = artifactPath(dir, sha)
    if (size === undefined || !existsSync(file)) return errorResponse(c, 404, 'not_found', `the server holds no artifact ${sha}`)
    // ?name=: the recorded file's name (the dashboard's links), so a download keeps it and a picture shows inline
    const name = c.req.query('name')
    if (name !== undefined && (name.length === 0 || name.length > 255 || /[/\\\0]/.test(name)))
      return errorResponse(c, 400, 'bad_request', 'name: give the file name only (no folders), at most 255 characters')
    const stream = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream
    return c.body(stream, 200, fileHeaders(name ?? sha, size))
  })

  return app
}
