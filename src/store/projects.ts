import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'

/** A project with its number of live experiments. */
export interface ProjectCount {
  name: string
  count: number
}

/** Projects that hold at least one live experiment, by name. */
export function listProjects(db: Sqlite): ProjectCount[] {
  return db.prepare(sql('listing/projects')).all() as ProjectCount[]
}
