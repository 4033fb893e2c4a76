// One GET to a team server for the read commands, with every failure turned
// into one line that names the server and says what to do.
import { MldbError, NotFoundError, ValidationError } from '../errors.js'

/** How long a read waits for the server's answer to begin. */
const ANSWER_TIMEOUT_MS = 60_000

/** The message of a server's JSON error body (`{"error": {"code", "message"}}`), if it has one. */
async function errorMessage(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.json()) as { error?: { message?: unknown } }
    return typeof body.error?.message === 'string' ? body.error.message : undefined
  } catch {
    return undefined
  }
}

/** Why fetch failed, from its cause (ECONNREFUSED, ENOTFOUND, ...). */
function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (e as Error).message
}

/** A failed answer as one line: what the server said, and what to do about it. */
async function failure(server: string, path: string, res: Response): Promise<Error> {
  const said = await errorMessage(res)
  if (res.status === 401) {
    return new MldbError(
      `the mldb server at ${server} refused the token (${said ?? 'unauthorized'}); set MLDB_TOKEN or "token" in ~/.mldb_config.json to a token from \`mldb token create\``,
    )
  }
  if (res.status === 403)
    return new MldbError(
      `the mldb server at ${server} refused to read ${path} (${said ?? 'forbidden'}); set MLDB_TOKEN or "token" in ~/.mldb_config.json to a token from \`mldb token create\``,
    )
  if (res.status === 404 && (said === undefined || said.startsWith('no API route'))) {
    return new MldbError(
      `the server at ${server} has no read route ${path}: it is not an mldb server, or an older one; upgrade it, or read a file with --db PATH`,
    )
  }
  if (res.status === 404) return new NotFoundError(said as string, 'experiment', path)
  if (res.status === 400 && said !== undefined) return new ValidationError(said)
  if (res.status === 503) return new MldbError(`the mldb server at ${server} is unavailable (${said ?? 'try again'}); try again shortly`)
  return new MldbError(`the mldb server at ${server} answered ${res.status} to ${path}${said ? `: ${said}` : ''}`)
}

/**
 * GETs `path` (with query parameters; undefined ones are left out) from the
 * server and returns the response once it began, or throws one line naming
 * the server: unreachable, no answer, token refused (401/403), no such route
 * or thing (404), a bad filter (400, the server's own message, as on a file).
 *
 * @example const res = await serverGet('http://db:5757/', undefined, 'api/experiments', { limit: '10' })
 */
export async function serverGet(server: string, token: string | undefined, path: string, query: Record<string, string | undefined> = {}): Promise<Response> {
  const url = new URL(path, server)
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v)
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), ANSWER_TIMEOUT_MS)
  let res: Response
  try {
    res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal })
  } catch (e) {
    if (abort.signal.aborted) {
      throw new MldbError(`the mldb server at ${server} gave no answer in ${ANSWER_TIMEOUT_MS / 1000} s; check that it runs, or read a file with --db PATH`)
    }
    throw new MldbError(
      `cannot reach the mldb server at ${server} (${networkCause(e)}); start it (mldb server), fix --server / MLDB_SERVER / "server" in ~/.mldb_config.json, or read a file with --db PATH`,
    )
  } finally {
    clearTimeout(timer)
  }
  if (!res.ok) throw await failure(server, `/${path}`, res)
  return res
}

/** GETs a JSON answer as text (the caller revives NaN and ±Infinity). */
export async function serverGetText(server: string, token: string | undefined, path: string, query: Record<string, string | undefined> = {}): Promise<string> {
  const res = await serverGet(server, token, path, query)
  if (!(res.headers.get('content-type') ?? '').includes('json')) {
    throw new MldbError(`${server} answered /${path} with something other than JSON: it is not an mldb server; check --server / MLDB_SERVER`)
  }
  return res.text()
}
