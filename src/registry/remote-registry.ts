import { randomUUID } from 'node:crypto'
import { MldbError, NotFoundError, ValidationError } from '../errors.js'
import { parseJsonNumbers, toJson } from '../json.js'
import { blockingHttp, type HttpAnswer, type HttpStep } from './blocking-http.js'
import { checkAlias, checkModelName, checkVersion, parseModelRef } from './names.js'
import { ServerUnreachableError, unreachableMessage } from './server-unreachable.js'
import type { AliasChange, ModelVersion, RegisteredModel, RemoteRegistration } from './types.js'

/** The error a refused answer stands for: 404 NotFoundError, 4xx ValidationError, 401/403 a token problem. */
function refusal(a: HttpAnswer, server: string, what: string): Error {
  const message = ((a.json.error as { message?: string } | undefined)?.message ?? `HTTP ${a.status}`).toString()
  if (a.status === 404) return new NotFoundError(message, 'model', what)
  if (a.status === 401 || a.status === 403)
    return new MldbError(`the team server ${server} refused the token (${message}); check MLDB_TOKEN (a read-only token cannot change the registry)`)
  return new ValidationError(message)
}

/**
 * The model registry on a team server, for a Database configured with one:
 * each call is made directly and waited for (not queued for the sync sender),
 * so every machine sees one numbering of versions and one version per alias.
 * A registration uploads the file's bytes to the server's artifact store first.
 *
 * @example new RemoteRegistry('http://srv:5757/', token).get('iris@champion').sha256
 */
export class RemoteRegistry {
  /** this process's write id on the server; a retry after a lost answer reuses the seq */
  private readonly client = `registry-${randomUUID()}`
  private seq = 0

  constructor(
    readonly server: string,
    private readonly token: string | undefined,
  ) {}

  /** The answers of the steps; a step that got no answer is retried once (write ids make that safe), then ServerUnreachableError. */
  private call(what: string, steps: HttpStep[]): Record<string, unknown> {
    let answers = blockingHttp(this.server, this.token, steps)
    if (answers.at(-1)?.status === 0) answers = blockingHttp(this.server, this.token, steps)
    const last = answers.at(-1) as HttpAnswer
    if (last.status === 0 || last.status >= 500)
      throw new ServerUnreachableError(unreachableMessage(what, this.server, last.error ?? `HTTP ${last.status}`), this.server)
    if (last.status >= 300) throw refusal(last, this.server, what)
    // NaN and ±Infinity arrive as strings (the server's toJson): the metrics' min/max get their numbers back
    return parseJsonNumbers(JSON.stringify(last.json)) as Record<string, unknown>
  }

  private write(): { client: string; seq: number } {
    return { client: this.client, seq: ++this.seq }
  }

  /** Uploads the file (the evidence's sha256) and records the next version. */
  register(r: RemoteRegistration, file: string): ModelVersion {
    const { evidence, aliases, description, tags, by } = r
    const body = JSON.parse(toJson({ ...this.write(), ...evidence, aliases, description, by, ...(tags === undefined ? {} : { tags }) })) as Record<
      string,
      unknown
    >
    const got = this.call(`registering a version of "${r.name}"`, [
      { method: 'PUT', path: `/api/artifacts/${evidence.sha256}`, upload: file },
      { method: 'POST', path: `/api/models/${encodeURIComponent(r.name)}/versions`, json: body },
    ])
    return got.version as ModelVersion
  }

  setAlias(name: string, alias: string, version: number | null, by: string): void {
    const n = checkModelName(name)
    const a = checkAlias(alias)
    const v = version === null ? null : checkVersion(version)
    this.call(`moving the alias "${a}" of "${n}"`, [
      { method: 'POST', path: `/api/models/${encodeURIComponent(n)}/aliases`, json: { ...this.write(), alias: a, version: v, by } },
    ])
  }

  get(ref: string): ModelVersion {
    const r = parseModelRef(ref)
    const tail = r.alias ?? (r.version === undefined ? 'latest' : String(r.version))
    return this.call(`reading "${ref}"`, [{ method: 'GET', path: `/api/models/${encodeURIComponent(r.name)}/versions/${encodeURIComponent(tail)}` }])
      .version as ModelVersion
  }

  list(): RegisteredModel[] {
    return this.call('listing models', [{ method: 'GET', path: '/api/models' }]).models as RegisteredModel[]
  }

  versions(name: string): ModelVersion[] {
    const n = checkModelName(name)
    return this.call(`reading "${n}"`, [{ method: 'GET', path: `/api/models/${encodeURIComponent(n)}` }]).versions as ModelVersion[]
  }

  history(name: string): AliasChange[] {
    const n = checkModelName(name)
    return this.call(`reading "${n}"`, [{ method: 'GET', path: `/api/models/${encodeURIComponent(n)}` }]).history as AliasChange[]
  }

  /** Downloads a version's bytes into `file` (the caller checks the sha256). */
  download(v: ModelVersion, file: string): void {
    this.call(`downloading "${v.name}/${v.version}"`, [{ method: 'GET', path: `/api/artifacts/${v.sha256}`, download: file }])
  }
}
