// What `mldb rm` and `mldb restore` check before they act: where each named
// experiment is, and whether a file about to be deleted is still pointed to.
import { firstFileUser, firstModelUser } from '../store/file-refs.js'
import { type TrashState, trashStateLookup } from '../store/trash-state.js'
import type { Database } from './database.js'

export type { TrashState } from '../store/trash-state.js'

/** A lookup of where each named experiment is: 'live', 'trashed', or undefined when there is none. */
export function trashState(db: Database): (name: string) => TrashState | undefined {
  return trashStateLookup(db.sqlite)
}

/** An experiment, live or trashed (`trashed` 1), that still points to the file at `path`; undefined when none does. */
export function fileUser(db: Database, path: string): { name: string; trashed: number } | undefined {
  return firstFileUser(db.sqlite, path)
}

/** A registered model version (`name/version`) whose file is `path`: such a file is never deleted by a purge. */
export function modelUser(db: Database, path: string): string | undefined {
  return firstModelUser(db.sqlite, path)
}
