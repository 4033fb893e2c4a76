import { statSync } from 'node:fs'
import { Hono } from 'hono'
import { z } from 'zod'
import type { Database } from '../../api/database.js'
import { fileProblem } from '../../api/files.js'
import type { ModelState, ModelVersion } from '../../registry/types.js'
import { jsonResponse } from '../errors.js'
import { boolParam } from '../query-params.js'
import type { ServerState } from '../state.js'
import { noQuery, queryValidator } from '../validators.js'

/** A version as the dashboard lists it, with how its file looks now. */
export type ModelVersionView = ModelVersion & { state: ModelState }

/**
 * Whether a version's file is still what was registered, cheaply: gone, a
 * different size, or a size/mtime that differs from its file record. A page
 * must not re-hash gigabytes of weights per view; `?verify=true` does.
 */
function glance(db: Database, v: ModelVersion): ModelState {
  let size: number
  try {
    const st = statSync(v.path)
    if (!st.isFile()) return 'missing'
    size = st.size
  } catch {
    return 'missing'
  }
  if (size !== v.size) return 'changed'
  const rec = v.fileId === null ? undefined : db.getFileById(v.fileId)
  return rec && fileProblem(rec) ? 'changed' : 'ok'
}

function view(db: Database, versions: ModelVersion[], verify: boolean): ModelVersionView[] {
  if (!verify) return versions.map((v) => ({ ...v, state: glance(db, v) }))
  return versions.map((v) => ({ ...v, state: db.verifyModel(`${v.name}/${v.version}`).state }))
}

const verifyQuery = z.strictObject({ verify: boolParam.default(false) })

/** The model registry, read-only: models, one model's versions and alias history, an experiment's versions. */
export function modelRoutes(state: ServerState): Hono {
  const { db } = state
  const app = new Hono()

  app.get('/models', noQuery, (c) => {
    return jsonResponse(c, { models: db.listModels() })
  })

  app.get('/models/:name', queryValidator(verifyQuery), (c) => {
    const q = c.req.valid('query')
    const name = c.req.param('name')
    const versions = db.listModelVersions(name) // 404 for an unknown model, 400 for a bad name
    const model = db.listModels().find((m) => m.name === name)
    return jsonResponse(c, { model, versions: view(db, versions, q.verify), history: db.getModelHistory(name) })
  })

  app.get('/experiments/:name/models', queryValidator(verifyQuery), (c) => {
    const q = c.req.valid('query')
    return jsonResponse(c, { versions: view(db, db.listModelVersions(undefined, { exp: c.req.param('name') }), q.verify) })
  })

  return app
}
