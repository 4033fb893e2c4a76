import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { tempDir } from '../helpers/tmp.js'

/** Serves a Hono app on 127.0.0.1 at a free port; close() stops it. */
export async function serveApp(app: Hono): Promise<{ url: string; close: () => Promise<void> }> {
  const { server, info } = await new Promise<{ server: ReturnType<typeof serve>; info: AddressInfo }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => resolve({ server: s, info: i }))
  })
  return { url: `http://127.0.0.1:${info.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** A real HTTP server (the dashboard's app, with the MLflow routes) on a fresh database, for MLflow's clients. */
export async function startMlflowServer(): Promise<{ url: string; db: Database; dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = tempDir('mldb-mlflow-')
  const db = new Database({ path: join(dir, 'server.db') })
  const app = createApp({ db, webRoot: join(dir, 'no-web-build'), artifacts: join(dir, 'artifacts') })
  const served = await serveApp(app)
  return {
    url: served.url,
    db,
    dir,
    close: async () => {
      await served.close()
      db.close()
      cleanup()
    },
  }
}
