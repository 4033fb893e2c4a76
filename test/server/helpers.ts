import { join } from 'node:path'
import type { Hono } from 'hono'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { tempDir } from '../helpers/tmp.js'

/** Every error the API answers. */
export interface ErrorBody {
  error: { code: string; message: string }
}

/** A temp dir holding a fresh database, the app over it (no web build), and helpers. */
export function setupApp(options: { token?: string; webRoot?: (dir: string) => string } = {}) {
  const { dir, cleanup } = tempDir('mldb-server-')
  const db = new Database({ path: join(dir, 'test.db') })
  const app: Hono = createApp({ db, token: options.token, webRoot: options.webRoot?.(dir) ?? join(dir, 'no-web-build') })
  return {
    dir,
    db,
    app,
    /** GET (or any request) through app.request; body parsed as JSON, typed by the caller. */
    async json<T = ErrorBody>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
      const res = await app.request(url, init)
      const text = await res.text()
      return { status: res.status, headers: res.headers, body: JSON.parse(text) as T }
    },
    close() {
      db.close()
      cleanup()
    },
  }
}

/** The URL path of an experiment, its name encoded (names may hold '/' or spaces). */
export const expUrl = (name: string, rest = '') => `/api/experiments/${encodeURIComponent(name)}${rest}`
