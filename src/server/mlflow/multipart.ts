import type { Hono } from 'hono'
import { mlflowError } from './errors.js'

/**
 * The start of the message MLflow's client looks for to fall back from a
 * multipart upload to one PUT (mlflow/exceptions.py, _UnsupportedMultipartUploadException).
 */
export const MPU_UNSUPPORTED = 'Multipart upload is not supported for the current artifact repository'

/**
 * `mlflow-artifacts/mpu/{create,complete,abort}`: answered as MLflow's own
 * server answers them over a local artifact store. Multipart uploads exist for
 * presigned cloud-storage parts (S3, GCS, Azure); the artifact store here is a
 * local folder that one streamed PUT fills at disk speed, so the client, told
 * so, sends the file with one PUT (which obeys --max-artifact-bytes). The
 * status is 501, which the client does not retry.
 */
export function multipartEndpoints(proxy: Hono): void {
  proxy.post('/mpu/*', (c) => mlflowError(c, 'NOT_IMPLEMENTED', `${MPU_UNSUPPORTED}: mldb's artifact store is a local folder; upload the file with one PUT`))
}
