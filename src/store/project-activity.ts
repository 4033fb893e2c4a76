import { sql } from '../named-sql.js'
import type { Sqlite } from './connection.js'

/** A project with its experiment count and when any of its experiments last changed. */
export interface ProjectActivity {
  name: string
  count: number
  /** the latest updated_at or heartbeat of its experiments (ms) */
  latestAt: number
}

/**
 * Projects with experiments outside the trash, the most recently active first:
 * the dashboard's table opens on the first (the project someone is working in now).
 *
 * @example listProjectActivity(db.sqlite)[0]?.name // 'resnet-sweep'
 */
export function listProjectActivity(db: Sqlite): ProjectActivity[] {
  return db.prepare(sql('listing/project-activity')).all() as ProjectActivity[]
}
