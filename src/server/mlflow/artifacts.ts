import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Context, Hono } from 'hono'
import { invalidParam, MlflowApiError, toMlflowError } from './errors.js'
import { endpoint, mlflowJson } from './handler.js'
import type { MlflowTracking } from './tracking.js'
import { optString, runIdOf } from './wire.js'

/** An upload passed the server's --max-artifact-bytes. */
class TooLarge extends Error {}

function tooLarge(c: Context, maxBytes: number): Response {
  const message = `the artifact is over ${maxBytes} bytes, this server's limit (--max-artifact-bytes)`
  return c.body(JSON.stringify({ error_code: 'INVALID_PARAMETER_VALUE', message }), 413, { 'content-type': 'application/json' })
}

/** One entry of an artifact listing. */
interface FileInfo {
  path: string
  is_dir: boolean
  file_size?: number
}

/** Linux's limits (NAME_MAX, PATH_MAX less its NUL): past them every file call fails with ENAMETOOLONG. */
const NAME_MAX_BYTES = 255
const PATH_MAX_BYTES = 4095

/**
 * The folder, at the store's root, where uploads stream before they are renamed
 * into place: outside the folder they go to, so a DELETE of that folder while
 * one streams cannot take its half-written file (and the rename's ENOENT) with it.
 */
const UPLOADS = '.mldb-uploads'

/** A path as a message shows it: a 6,000-character one is cut, so the answer stays readable. */
const shown = (path: string) => (path.length > 200 ? `${path.slice(0, 200)}…` : path)

/**
 * The artifact path's file under the root; `..`, absolute paths, backslashes
 * and NUL are refused (MLflow's validate_path_is_safe), and so is a path the
 * file system cannot hold (a 400 rather than ENAMETOOLONG's 500, which
 * MLflow's client retries).
 */
export function safeArtifactPath(root: string, path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.')
  if (path.includes('\0') || path.includes('\\') || parts.some((p) => p === '..') || /^[A-Za-z]:/.test(path)) {
    throw invalidParam('path', path, 'artifact paths are relative and may not contain .. or backslashes')
  }
  if (parts[0] === UPLOADS) throw invalidParam('path', path, `${UPLOADS} holds the uploads in progress; name another folder`)
  const base = resolve(root)
  const full = resolve(base, ...parts)
  if (full !== base && !full.startsWith(base + sep)) throw invalidParam('path', path, 'the path leaves the artifact store')
  if (parts.some((p) => Buffer.byteLength(p) > NAME_MAX_BYTES) || Buffer.byteLength(full) > PATH_MAX_BYTES) {
    throw invalidParam('path', shown(path), `the path is too long: at most ${NAME_MAX_BYTES} bytes a name and ${PATH_MAX_BYTES} in all on this server`)
  }
  return full
}

/**
 * The proxy route's artifact path, decoded. Bad percent-encoding (`%zz`, a cut
 * UTF-8 sequence) is a 400 naming it, not decodeURIComponent's URIError (a 500).
 */
function proxyPath(c: Context): string {
  const raw = c.req.path.replace(/^.*?\/artifacts\//, '')
  try {
    return decodeURIComponent(raw)
  } catch {
    throw invalidParam('path', shown(raw), 'bad percent-encoding: each % must start a %XX escape of UTF-8')
  }
}

/** Whether a folder of `file`, below `root`, is a file: an upload there can never succeed. */
function fileInTheWay(root: string, file: string): boolean {
  const base = resolve(root)
  for (let d = dirname(file); d.length > base.length; d = dirname(d)) {
    try {
      if (!statSync(d).isDirectory()) return true
    } catch {
      // not there (yet, or deleted meanwhile): not in the way
    }
  }
  return false
}

const inTheWay = (path: string) => invalidParam('path', shown(path), 'a folder of the path is a file already; upload under another name')

/**
 * Makes the folders of an upload's path and renames the finished upload there
 * (`part` undefined: the folders only). mkdir and rename fail with ENOENT,
 * EEXIST or ENOTDIR both when a folder of the path is a file (a 400) and when
 * a DELETE of a parent folder is under way: then they are tried again, as the
 * upload came after the delete began.
 */
async function placeUpload(root: string, file: string, path: string, part?: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(dirname(file), { recursive: true })
      if (part !== undefined) await rename(part, file)
      return
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EISDIR') throw invalidParam('path', shown(path), 'the path is a folder of artifacts; name a file inside it')
      if (code !== 'ENOENT' && code !== 'EEXIST' && code !== 'ENOTDIR') throw e
      if (fileInTheWay(root, file)) throw inTheWay(path)
      if (attempt >= 5) throw new MlflowApiError('TEMPORARILY_UNAVAILABLE', `the folders of '${shown(path)}' kept changing (a DELETE under way); upload again`)
    }
  }
}

async function listDir(dir: string): Promise<FileInfo[]> {
  if (!existsSync(dir) || !(await stat(dir)).isDirectory()) return []
  const out: FileInfo[] = []
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.endsWith('.mldb-upload') || e.name === UPLOADS) continue
    if (e.isDirectory()) out.push({ path: e.name, is_dir: true })
    else if (e.isFile()) out.push({ path: e.name, is_dir: false, file_size: (await stat(join(dir, e.name))).size })
  }
  return out
}

/** The run id in an artifact path `<experiment>/<run>/artifacts/...`, if it is one. */
function runOfPath(path: string): { runId: string; rel: string } | undefined {
  const m = /^\/?[^/]+\/([^/]+)\/artifacts\/(.+)$/.exec(path)
  return m ? { runId: m[1] as string, rel: m[2] as string } : undefined
}

/**
 * MLflow's artifact proxy (`mlflow-artifacts`): PUT uploads, GET downloads,
 * GET without a path lists, DELETE removes, under one folder. An uploaded
 * artifact of a run becomes a file record of that experiment. Also the older
 * `/artifacts/list?run_id=` of the tracking API. An upload over `maxBytes`
 * is a 413 and leaves nothing on disk.
 */
export function artifactEndpoints(proxy: Hono, tracking: Hono, backend: MlflowTracking, root: string, maxBytes: number): void {
  const fail = (c: Context) => (e: unknown) => toMlflowError(e, c)

  proxy.get('/artifacts', (c) =>
    (async () => {
      const path = c.req.query('path') ?? ''
      return mlflowJson(c, { files: await listDir(safeArtifactPath(root, path)) })
    })().catch(fail(c)),
  )
  proxy.get('/artifacts/*', (c) =>
    (async () => {
      const path = proxyPath(c)
      const file = safeArtifactPath(root, path)
      const s = existsSync(file) ? await stat(file) : undefined
      if (!s?.isFile()) throw new MlflowApiError('RESOURCE_DOES_NOT_EXIST', `Artifact '${path}' does not exist`)
      const body = Readable.toWeb(createReadStream(file)) as ReadableStream
      return c.body(body, 200, { 'content-type': 'application/octet-stream', 'content-length': String(s.size) })
    })().catch(fail(c)),
  )
  proxy.put('/artifacts/*', (c) =>
    (async () => {
      const path = proxyPath(c)
      const file = safeArtifactPath(root, path)
      if (file === resolve(root)) throw invalidParam('path', path, 'name the artifact file to upload')
      const declared = Number(c.req.header('content-length') ?? 0)
      if (declared > maxBytes) return tooLarge(c, maxBytes)
      // a folder of the path that is a file: refused before the body is read
      await placeUpload(root, file, path)
      // written aside, then renamed: a reader never sees half a file
      const uploads = join(resolve(root), UPLOADS)
      await mkdir(uploads, { recursive: true })
      const part = join(uploads, `${process.pid}.${randomUUID()}.mldb-upload`)
      const body = c.req.raw.body
      try {
        // counted while streaming: Content-Length may be absent (chunked) or lie
        let size = 0
        const count = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            size += chunk.length
            if (size > maxBytes) return cb(new TooLarge())
            cb(null, chunk)
          },
        })
        const source = body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream) : Readable.from([])
        await pipeline(source, count, createWriteStream(part))
        await placeUpload(root, file, path, part)
      } catch (e) {
        await rm(part, { force: true })
        if (e instanceof TooLarge) return tooLarge(c, maxBytes)
        throw e
      }
      const model = /^\/?[^/]+\/models\/(m-[0-9a-f]+)\/artifacts\/(.+)$/.exec(path)
      const run = model ? undefined : runOfPath(path)
      if (model) await backend.recordModelArtifact(model[1] as string, file, model[2] as string)
      else if (run) await backend.recordArtifact(run.runId, file, run.rel)
      return mlflowJson(c, {})
    })().catch(fail(c)),
  )
  proxy.delete('/artifacts/*', (c) =>
    (async () => {
      const path = proxyPath(c)
      const target = safeArtifactPath(root, path)
      // '.', '' or 'a/..'-free spellings of the root would wipe every artifact of every run
      if (target === resolve(root)) throw invalidParam('path', path, 'name an artifact or folder inside the store, not the store itself')
      // an upload renamed into the folder while rm walks it: ENOTEMPTY, which rm retries itself
      await rm(target, { recursive: true, force: true, maxRetries: 5, retryDelay: 10 }).catch((e) => {
        const code = (e as NodeJS.ErrnoException).code
        // a folder of the path is a file: nothing is there to delete, as with a path that is not there
        if (code === 'ENOTDIR') return
        if (code === 'ENOTEMPTY') {
          throw new MlflowApiError('TEMPORARILY_UNAVAILABLE', `'${shown(path)}' kept changing while it was deleted (uploads into it); send the DELETE again`)
        }
        throw e
      })
      return mlflowJson(c, {})
    })().catch(fail(c)),
  )

  endpoint(tracking, '/artifacts/list', async (f) => {
    const run = await backend.getRun(runIdOf(f))
    const uri = run.info.artifact_uri
    const m = /^mlflow-artifacts:\/+(.*)$/.exec(uri)
    if (!m) throw invalidParam('run_id', run.info.run_id, `the run's artifacts are at ${uri}, outside this server`)
    const sub = optString(f, 'path') ?? ''
    const files = await listDir(safeArtifactPath(root, `${m[1]}/${sub}`))
    return { root_uri: uri, files: files.map((x) => ({ ...x, path: sub ? `${sub.replace(/\/+$/, '')}/${x.path}` : x.path })) }
  })
}
