import type { Sqlite } from './connection.js'

/** A project with its number of live experiments. */
export interface ProjectCount {
  name: string
  count: number
}

/** Projects that hold at least one live experiment, by name. */
export function listProjects(db: Sqlite): ProjectCount[] {
  return db
    .prepare(
      `SELECT p.name AS name, count(e.id) AS count FROM projects p
       JOIN experiments e ON e.project_id = p.id AND e.deleted_at IS NULL
       GROUP BY p.id ORDER BY p.name`,
    )
    .all() as ProjectCount[]
}
