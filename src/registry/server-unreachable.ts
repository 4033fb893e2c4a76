import { MldbError } from '../errors.js'

/**
 * A call that needs the team server's one answer for every machine (registering
 * a model, moving an alias, claiming a sweep's trial) could not reach it. Unlike
 * logging, such a call cannot be kept locally and sent later: another machine
 * could take the same version number or trial meanwhile. Nothing was written.
 *
 * @example try { db.registerModel('iris', { exp, file }) } catch (e) { if (e instanceof ServerUnreachableError) retryLater() }
 */
export class ServerUnreachableError extends MldbError {
  override name = 'ServerUnreachableError'
  constructor(
    message: string,
    /** the server's base URL */
    readonly server: string,
  ) {
    super(message)
  }
}

/** What to say when a direct call cannot reach the server. */
export function unreachableMessage(what: string, server: string, why: string): string {
  return `${what} needs the team server ${server}, which did not answer (${why}); this call cannot be deferred like logging (another machine could take the same number meanwhile): retry when the server is up, or unset MLDB_SERVER to work on the local file`
}
