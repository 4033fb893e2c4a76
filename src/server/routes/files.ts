import { closeSync, createReadStream } from 'node:fs'
import { basename, extname } from 'node:path'
import { Readable } from 'node:stream'
import { Hono } from 'hono'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { openRecorded } from '../open-recorded.js'
import type { ServerState } from '../state.js'
import { parseQuery } from '../validate.js'

/** Types a browser may render inline; everything else is a download. */
const INLINE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
}

/** Serves the bytes of files the database points to, and nothing else. */
export function fileRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/files/:id', (c) => {
    parseQuery(c, z.strictObject({}))
    const idText = c.req.param('id')
    if (!/^\d{1,15}$/.test(idText)) throw new HttpError(400, 'bad_request', `file id must be a positive integer, got "${idText}"`)
    // getFileById skips experiments in the trash.
    const rec = db.getFileById(Number(idText))
    if (!rec) throw new HttpError(404, 'not_found', `no file with id ${idText} in this database`)
    const { fd, size } = openRecorded(rec.path)
    const type = INLINE_TYPES[extname(rec.path).toLowerCase()]
    const headers: Record<string, string> = {
      'content-type': type ?? 'application/octet-stream',
      'content-length': String(size),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    }
    // An SVG can carry scripts; sandboxed, it renders as a picture only.
    if (type === 'image/svg+xml') headers['content-security-policy'] = 'sandbox'
    if (!type) headers['content-disposition'] = `attachment; filename="${basename(rec.path).replace(/[^\w.-]/g, '_')}"`
    if (c.req.method === 'HEAD') {
      closeSync(fd)
      return c.body(null, 200, headers)
    }
    const body = Readable.toWeb(createReadStream('', { fd, autoClose: true })) as unknown as ReadableStream<Uint8Array>
    return c.body(body, 200, headers)
  })

  return app
}
