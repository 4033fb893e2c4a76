import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'

/**
 * How a request ended, as the sender acts on it: `ok`; `retry` (no answer,
 * a timeout, 5xx, 429: the same write is sent again later); `auth` (401/403:
 * the token is wrong, revoked or read-only; retried slowly, data stays local);
 * `refused` (another 4xx: this write can never succeed as it is).
 */
export type Outcome = { kind: 'ok'; status: number; json: Record<string, unknown> } | { kind: 'retry' | 'auth' | 'refused'; status: number; message: string }

/**
 * The sender's HTTP client: JSON with a bearer token and a timeout per request.
 *
 * @example await new Transport('http://srv:5757/', 'mldb_...', 30_000).send('POST', '/api/experiments', body)
 */
export class Transport {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra }
  }

  /** One JSON request; never throws. */
  async send(method: string, path: string, body?: string): Promise<Outcome> {
    return this.request(method, path, {
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body }),
    })
  }

  /** Streams a file's bytes to PUT /api/artifacts/{sha256}; never throws. */
  async upload(sha256: string, file: string, size: number): Promise<Outcome> {
    return this.request('PUT', `/api/artifacts/${sha256}`, {
      headers: this.headers({ 'content-type': 'application/octet-stream', 'content-length': String(size) }),
      body: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit)
  }

  private async request(method: string, path: string, init: RequestInit): Promise<Outcome> {
    let res: Response
    try {
      res = await fetch(new URL(path, this.server), { ...init, method, signal: AbortSignal.timeout(this.timeoutMs) })
    } catch (e) {
      // undici hides the socket's error in `cause` (an AggregateError when it tried IPv4 and IPv6)
      const err = e as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000} s`
          : (err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message)
      return { kind: 'retry', status: 0, message: why }
    }
    let json: Record<string, unknown> = {}
    try {
      json = (await res.json()) as Record<string, unknown>
    } catch {
      // a proxy's HTML error page, or a body cut by a timeout
    }
    if (res.ok) return { kind: 'ok', status: res.status, json }
    const message = `${res.status} ${(json.error as { message?: string } | undefined)?.message ?? res.statusText}`
    if (res.status === 401 || res.status === 403) return { kind: 'auth', status: res.status, message }
    if (res.status >= 500 || res.status === 429 || res.status === 408) return { kind: 'retry', status: res.status, message }
    return { kind: 'refused', status: res.status, message }
  }
}
