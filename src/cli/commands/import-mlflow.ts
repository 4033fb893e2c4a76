import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { isMlflowDb, readMlflowDb } from '../../api/mlflow-db-import.js'
import { isMlflowStore, readMlflowStore } from '../../api/mlflow-import.js'
import { defaultArtifactRoot } from '../../api/mlflow-import-copy.js'
import { type MlflowSource, writeMlflowSource } from '../../api/mlflow-import-write.js'
import { readMlflowPostgres } from '../../api/mlflow-pg-import.js'
import { openForWrite } from '../db.js'
import { printJson } from '../output.js'

/** `mldb import`'s options for an MLflow source. */
export interface ImportOptions {
  db?: string
  json?: boolean
  /** true: into the database's artifact folder; a string: into that folder */
  copyArtifacts?: boolean | string
}

/**
 * `mldb import mlflow.db` or `mldb import mlruns/`: when the path is an MLflow
 * SQLite store or file store (known by its content), imports it whole and
 * returns true; otherwise returns false. Runs already imported (by MLflow
 * run id) are left alone.
 */
export function importMlflowSource(path: string, opts: ImportOptions): boolean {
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
export async function importMlflowPostgres(url: string, opts: ImportOptions): Promise<void> {
  writeSource(await readMlflowPostgres(url), opts)
}

function writeSource(source: MlflowSource, opts: ImportOptions): void {
  const db = openForWrite(opts.db)
  try {
    const copy =
      opts.copyArtifacts === undefined || opts.copyArtifacts === false
        ? undefined
        : resolve(opts.copyArtifacts === true ? defaultArtifactRoot(db.path) : opts.copyArtifacts)
    const r = writeMlflowSource(db, source, copy === undefined ? {} : { copyArtifacts: copy })
    if (opts.json)
      printJson({
        experiments: r.imported,
        points: r.points,
        alreadyImported: r.alreadyImported,
        loggedModels: r.loggedModels,
        registeredModels: r.registeredModels,
        modelVersions: r.modelVersions,
        alreadyImportedModels: r.loggedModelsAlreadyImported,
        alreadyImportedVersions: r.modelVersionsAlreadyImported,
        copiedFiles: r.copiedFiles,
        ...(copy === undefined ? {} : { artifacts: copy }),
        leftOut: r.report,
      })
    else {
      const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
      const others = [
        ...(r.loggedModelsAlreadyImported ? [s(r.loggedModelsAlreadyImported, 'logged model')] : []),
        ...(r.modelVersionsAlreadyImported ? [s(r.modelVersionsAlreadyImported, 'model version')] : []),
      ]
      const runsAgain = r.alreadyImported ? `${r.alreadyImported} run${r.alreadyImported === 1 ? ' was' : 's were'} already imported` : ''
      const again =
        runsAgain || others.length ? ` (${[runsAgain, others.length ? `already imported: ${others.join(', ')}` : ''].filter(Boolean).join('; ')})` : ''
      const models =
        r.loggedModels || r.registeredModels || r.modelVersions
          ? `, ${s(r.loggedModels, 'logged model')}, ${s(r.registeredModels, 'registered model')} and ${s(r.modelVersions, 'model version')}`
          : ''
      const copied = copy === undefined ? '' : `; ${s(r.copiedFiles, 'artifact file')} copied into ${copy}`
      process.stderr.write(`imported ${s(r.imported.length, 'MLflow run')} and ${s(r.points, 'point')}${models}${again}${copied}\n`)
      for (const line of r.report) process.stderr.write(`${line}\n`)
    }
  } finally {
    db.close()
  }
}
