import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Database } from '../../src/index.js'
import { createApp } from '../../src/server/app.js'
import { tempDir } from '../helpers/tmp.js'

/** A real HTTP server (the dashboard's app, with the MLflow routes) on a fresh database, for MLflow's clients. */
export async function startMlflowServer(): Promise<{ url: string; db: Database; dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = tempDir('mldb-mlflow-')
  const db = new Database({ path: join(dir, 'server.db') })
  const app = createApp({ db, webRoot: join(dir, 'no-web-build'), artifacts: join(dir, 'artifacts') })
  const { server, info } = await new Promise<{ server: ReturnType<typeof serve>; info: AddressInfo }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (i) => resolve({ server: s, info: i }))
  })
  return {
    url: `http://127.0.0.1:${info.port}`,
    db,
    dir,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          db.close()
          cleanup()
          resolve()
        })
      }),
  }
}
