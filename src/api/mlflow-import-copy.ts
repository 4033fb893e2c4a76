/**
 * `mldb import SRC --copy-artifacts [DIR]`: the bytes of a source's local
 * artifacts copied into an artifact folder laid out as MLflow's artifact proxy
 * lays it out (`<experiment id>/<run id>/artifacts/...`,
 * `<experiment id>/models/<model id>/artifacts/...`), so mldb's MLflow artifact
 * proxy serves them to MLflow's client as `mlflow-artifacts:/` URIs (from
 * `<database>-artifacts` under `mldb ui`, `<artifacts>/mlflow` under `mldb server`).
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { ValidationError } from '../errors.js'
import { sha256File, statFile } from './files.js'
import type { ImportedFile } from './import-bundle.js'

/**
 * Copies files (each with its path under the artifact root in
 * `meta.mlflowArtifact`) into `root/prefix/`, and returns their records
 * pointing at the copies, with size, mtime and sha256 of the copy. A copy
 * already there with the same bytes is kept as it is.
 *
 * @example copyArtifacts(run.bundle.files, '/data/mldb.db-artifacts', '3/<run id>/artifacts')
 */
export function copyArtifacts(files: ImportedFile[], root: string, prefix: string): ImportedFile[] {
  return files.map((f) => {
    const rel = f.meta?.mlflowArtifact
    if (typeof rel !== 'string' || rel.split('/').includes('..')) throw new ValidationError(`artifact ${f.path} has no path under its run`, 'file')
    const to = resolve(root, prefix, rel)
    const sha = sha256File(f.path)
    if (!existsSync(to) || sha256File(to) !== sha) {
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(f.path, to)
    }
    const st = statFile(to)
    return { ...f, path: st.path, size: st.size, mtime: st.mtime, sha256: sha, meta: { ...f.meta, mlflowCopiedFrom: f.path } }
  })
}

/** The MLflow artifact folder of a database, as `mldb ui` (createApp) defaults it. */
export function defaultArtifactRoot(dbPath: string): string {
  return `${dbPath}-artifacts`
}

/** `prefix` joined as a URI path (for `mlflow-artifacts:/` URIs). */
export const artifactUri = (prefix: string): string => `mlflow-artifacts:/${join(prefix).split('\\').join('/')}`
