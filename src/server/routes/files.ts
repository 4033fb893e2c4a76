import { closeSync, constants, createReadStream, fstatSync, openSync } from 'node:fs'
import { Readable } from 'node:stream'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { fileHeaders } from '../file-headers.js'
import { openRecorded } from '../open-recorded.js'
import type { ServerState } from '../state.js'
import { noQuery } from '../validators.js'
import { artifactPath } from './artifacts.js'

/** Options of `fileRoutes`. */
export interface FileRoutesOptions {
  /**
   * `mldb server`'s artifact store. Set, a record's bytes come only from there
   * (by its sha256, when stored with the recorded size), never from its path:
   * a path sent through the write API names a file on the CLIENT's machine, and
   * opening it here would hand out any file the server can read.
   */
  artifactsDir?: string | undefined
}

const notHeld = (id: string) =>
  new HTTPException(404, { message: `the server does not hold the bytes of file ${id}; upload them to PUT /api/artifacts/{sha256} with the file's record` })

/** Opens a stored artifact of `size` bytes, or fails with a 404 (a missing or changed artifact is never served). */
function openArtifact(dir: string, sha: string, size: number, id: string): { fd: number; size: number } {
  let fd: number
  try {
    fd = openSync(artifactPath(dir, sha), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch {
    throw notHeld(id)
  }
  const st = fstatSync(fd)
  if (!st.isFile() || st.size !== size) {
    closeSync(fd)
    throw notHeld(id)
  }
  return { fd, size }
}

/**
 * Serves the bytes of files the database points to, and nothing else: for
 * `mldb ui`, the recorded local path; for `mldb server` (`artifactsDir`), only
 * the artifact store's copy.
 *
 * @example app.route('/api', fileRoutes(state, { artifactsDir: '/srv/mldb/artifacts' }))
 */
export function fileRoutes(state: ServerState, options: FileRoutesOptions = {}): Hono {
  const { db } = state
  const stored = db.sqlite.prepare<[string], { size: number }>('SELECT size FROM artifacts WHERE sha256 = ?')
  const app = new Hono()

  app.get('/files/:id', noQuery, (c) => {
    const idText = c.req.param('id')
    if (!/^\d{1,15}$/.test(idText)) throw new HTTPException(400, { message: `file id must be a positive integer, got "${idText}"` })
    // getFileById skips experiments in the trash.
    const rec = db.getFileById(Number(idText))
    if (!rec) throw new HTTPException(404, { message: `no file with id ${idText} in this database` })
    let opened: { fd: number; size: number }
    if (options.artifactsDir !== undefined) {
      const held = rec.sha256 === null ? undefined : stored.get(rec.sha256)
      if (!rec.sha256 || held?.size !== rec.size) throw notHeld(idText)
      opened = openArtifact(options.artifactsDir, rec.sha256, rec.size, idText)
    } else opened = openRecorded(rec.path)
    const { fd, size } = opened
    const headers = fileHeaders(rec.path, size)
    if (c.req.method === 'HEAD') {
      closeSync(fd)
      return c.body(null, 200, headers)
    }
    const body = Readable.toWeb(createReadStream('', { fd, autoClose: true })) as unknown as ReadableStream<Uint8Array>
    return c.body(body, 200, headers)
  })

  return app
}
