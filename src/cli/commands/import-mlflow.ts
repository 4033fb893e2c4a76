import { statSync } from 'node:fs'
import { isMlflowDb, readMlflowDb } from '../../api/mlflow-db-import.js'
import { isMlflowStore, readMlflowStore } from '../../api/mlflow-import.js'
import { type MlflowSource, writeMlflowSource } from '../../api/mlflow-import-write.js'
import { readMlflowPostgres } from '../../api/mlflow-pg-import.js'
import { openForWrite } from '../db.js'
import { printJson } from '../output.js'

/**
 * `mldb import mlflow.db` or `mldb import mlruns/`: when the path is an MLflow
 * SQLite store or file store (known by its content), imports it whole and
 * returns true; otherwise returns false. Runs already imported (by MLflow
 * run id) are left alone.
 */
export function importMlflowSource(path: string, opts: { db?: string; json?: boolean }): boolean {
  const isDir = statSync(path).isDirectory()
  if (isDir ? !isMlflowStore(path) : !isMlflowDb(path)) return false
  // read and checked before the database is opened: a bad source writes nothing
  writeSource(isDir ? readMlflowStore(path) : readMlflowDb(path), opts)
  return true
}

/**
 * `mldb import postgresql://…`: MLflow's tracking database on PostgreSQL,
 * read whole (in one read-only snapshot) before mldb's file is opened.
 */
export async function importMlflowPostgres(url: string, opts: { db?: string; json?: boolean }): Promise<void> {
  writeSource(await readMlflowPostgres(url), opts)
}

function writeSource(source: MlflowSource, opts: { db?: string; json?: boolean }): void {
  const db = openForWrite(opts.db)
  try {
    const r = writeMlflowSource(db, source)
    if (opts.json) printJson({ experiments: r.imported, points: r.points, alreadyImported: r.alreadyImported })
    else {
      const again = r.alreadyImported ? ` (${r.alreadyImported} run${r.alreadyImported === 1 ? ' was' : 's were'} already imported)` : ''
      process.stderr.write(
        `imported ${r.imported.length} MLflow run${r.imported.length === 1 ? '' : 's'} and ${r.points} point${r.points === 1 ? '' : 's'}${again}\n`,
      )
    }
  } finally {
    db.close()
  }
}
