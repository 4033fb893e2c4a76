// MLflow's rule for what a model version's `source` names, in one copy: the
// MLflow REST routes (src/server/mlflow/registry-backend.ts, on SQLite and
// PostgreSQL) and `mldb import` of an MLflow store (src/api/mlflow-import-registry.ts)
// both resolve a version to one file record by it. Pure functions: a refusal is
// a value (undefined or `{ why }`), so the server turns it into MlflowApiError
// and the importer into a report line.
import { posix } from 'node:path'
import type { FileRecord } from '../store/types.js'

/** What a version's `source` names: a logged model, or a run and a folder under its artifacts. */
export type VersionSource = { loggedModel: string } | { runId: string; sub: string } | { runId: string; under: string }

/** The artifact folder a run source names, or why the source is not under the run's artifacts. */
export type SourceFolder = { dir: string } | { why: string }

/**
 * Parses MLflow's `source` (with `run_id` / `model_id` beside it, and the
 * `storage_location` an MLflow store keeps): `models:/m-…` or a logged model's
 * artifacts folder is that logged model; `runs:/<run id>/<path>` a folder of
 * that run; any other source, with a run id beside it, a path under that run's
 * artifact URI. Undefined when it is none of these.
 *
 * @example parseVersionSource('runs:/abc/model', undefined, undefined) // { runId: 'abc', sub: 'model' }
 */
export function parseVersionSource(
  source: string,
  runId: string | undefined,
  modelId: string | undefined,
  storageLocation?: string,
): VersionSource | undefined {
  const logged =
    modelId ??
    /^models:\/(m-[0-9a-f]+)\/?$/.exec(source)?.[1] ??
    /\/models\/(m-[0-9a-f]+)\/artifacts\/?$/.exec(source)?.[1] ??
    /\/models\/(m-[0-9a-f]+)\/artifacts\/?$/.exec(storageLocation ?? '')?.[1]
  if (logged) return { loggedModel: logged }
  const runs = /^runs:\/([^/]+)\/?(.*)$/.exec(source)
  if (runs) return { runId: runs[1] as string, sub: runs[2] as string }
  if (runId) return { runId, under: source }
  return undefined
}

/**
 * The artifact folder of a run a source names: `sub` as is, or `under`
 * relative to the run's artifact URI (`why` when it is not under it, or the
 * run has none). Normalised, without a trailing slash; '.' is the whole run.
 *
 * @example sourceFolder({ runId: 'abc', under: 's3://b/1/abc/artifacts/model' }, 's3://b/1/abc/artifacts') // { dir: 'model' }
 */
export function sourceFolder(s: { runId: string; sub: string } | { runId: string; under: string }, artifactUri: string): SourceFolder {
  let sub: string
  if ('sub' in s) sub = s.sub
  else {
    const root = artifactUri.replace(/\/+$/, '')
    if (!root || (s.under !== root && !s.under.startsWith(`${root}/`))) return { why: `not under run ${s.runId}'s artifact URI ${root || '(none)'}` }
    sub = s.under.slice(root.length + 1)
  }
  return { dir: posix.normalize(sub || '.').replace(/\/+$/, '') }
}

/** Whether an artifact path is inside a folder ('.' holds all). */
export const inFolder = (dir: string, p: unknown): boolean => typeof p === 'string' && (dir === '.' || p === dir || p.startsWith(`${dir}/`))

/** The version's file among a source's files: its MLmodel, else the first; undefined when there are none. */
export function pickVersionFile(files: readonly FileRecord[]): FileRecord | undefined {
  return files.find((x) => /(^|\/)MLmodel$/.test(String(x.meta?.mlflowArtifact ?? ''))) ?? files[0]
}
