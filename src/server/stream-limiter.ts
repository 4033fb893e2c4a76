import { HTTPException } from 'hono/http-exception'

/** Open event streams one client may hold at once. */
export const DEFAULT_STREAMS_PER_CLIENT = 16

/**
 * Counts open event streams per client so that one client (a page left open
 * in many tabs, or a script) cannot hold hundreds of them.
 *
 * @example
 * const release = limiter.acquire('127.0.0.1') // throws HTTPException 429 past the cap
 * release()
 */
export class StreamLimiter {
  readonly #open = new Map<string, number>()

  constructor(readonly perClient: number = DEFAULT_STREAMS_PER_CLIENT) {}

  /** Takes one slot for `client`, or throws a 429; the returned function gives it back once. */
  acquire(client: string): () => void {
    const n = this.#open.get(client) ?? 0
    if (n >= this.perClient) {
      throw new HTTPException(429, {
        message: `this client already has ${n} open event streams (the limit is ${this.perClient}); close some tabs or poll /api/changes instead`,
      })
    }
    this.#open.set(client, n + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.#open.get(client) ?? 1) - 1
      if (left <= 0) this.#open.delete(client)
      else this.#open.set(client, left)
    }
  }
}
