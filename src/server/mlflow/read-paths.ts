/**
 * MLflow's read endpoints (under `/api/2.0/mlflow/`): the only ones answered
 * for GET (mlflow/protos/service.proto gives GET to get/search/list/history
 * reads alone), and the only POSTs a read-only token may make, since MLflow's
 * client searches by POST. Every other MLflow endpoint writes, and is POST-only.
 */
export const MLFLOW_READ_PATHS: ReadonlySet<string> = new Set([
  '/experiments/get',
  '/experiments/get-by-name',
  '/experiments/list',
  '/experiments/search',
  '/runs/get',
  '/runs/search',
  '/metrics/get-history',
  '/artifacts/list',
  '/logged-models/search',
  '/registered-models/get',
  '/registered-models/search',
  '/registered-models/get-latest-versions',
  '/model-versions/get',
  '/model-versions/search',
  '/model-versions/get-download-uri',
])

/**
 * Whether a request path is an MLflow tracking read, under either prefix.
 *
 * @example isMlflowReadPath('/api/2.0/mlflow/runs/search') // true
 */
export function isMlflowReadPath(path: string): boolean {
  const m = /^\/(?:ajax-)?api\/2\.0\/mlflow(\/.*)$/.exec(path)
  return m !== null && MLFLOW_READ_PATHS.has((m[1] as string).replace(/\/+$/, ''))
}
