import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { MldbError, NotFoundError, ValidationError } from '../errors.js'
import { parseJsonNumbers, toJson } from '../json.js'
import { ServerUnreachableError, unreachableMessage } from '../registry/server-unreachable.js'
import type { ClaimedTrial, SweepView, TrialEnd } from '../store/store.js'
import type { SweepSummary } from './trial-logic.js'

/**
 * A sweep on a team server, as an agent on any machine uses it: the next
 * trial is claimed on the server (one transaction there, so two machines never
 * get the same trial), and its end, heartbeat and pruning are asked there too.
 * A retry after a lost answer reuses the write id, and the server answers the
 * trial the first attempt claimed.
 *
 * @example const trial = await new RemoteSweeps(server, token).claim('branin')
 */
export class RemoteSweeps {
  private readonly client = `sweep-agent-${randomUUID()}`
  private seq = 0

  constructor(
    readonly server: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  private async request(what: string, method: string, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const init: RequestInit = {
      method,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: toJson(body) } : {}),
    }
    let res: Response | undefined
    let why = ''
    // One retry when nothing answered: the same body (and write id) is safe to send again.
    for (let attempt = 0; attempt < 2 && !res; attempt++) {
      try {
        res = await fetch(new URL(path, this.server), { ...init, signal: AbortSignal.timeout(this.timeoutMs) })
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }
        why = err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : (err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.message)
      }
    }
    if (!res || res.status >= 500) throw new ServerUnreachableError(unreachableMessage(what, this.server, res ? `HTTP ${res.status}` : why), this.server)
    const text = await res.text()
    const json = (text.startsWith('{') ? parseJsonNumbers(text) : {}) as Record<string, unknown>
    if (res.ok) return json
    const message = (json.error as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`
    if (res.status === 404) throw new NotFoundError(message, 'sweep', path)
    if (res.status === 401 || res.status === 403)
      throw new MldbError(`the team server ${this.server} refused the token (${message}); an agent needs a token that can write (MLDB_TOKEN)`)
    throw new ValidationError(message)
  }

  private id(): { client: string; seq: number } {
    return { client: this.client, seq: ++this.seq }
  }

  private path(name: string, tail = ''): string {
    return `/api/sweeps/${encodeURIComponent(name)}${tail}`
  }

  /** The sweep's config, summary and trials. */
  async get(name: string): Promise<SweepView> {
    return (await this.request(`reading sweep "${name}"`, 'GET', this.path(name))) as unknown as SweepView
  }

  /** Claims the next trial for this machine, or null when the sweep has none left; `uuid` is the identity its experiment syncs under. */
  async claim(name: string, uuid: string = randomUUID()): Promise<(ClaimedTrial & { uuid: string }) | null> {
    const r = await this.request(`claiming a trial of sweep "${name}"`, 'POST', this.path(name, '/claim'), {
      ...this.id(),
      uuid,
      host: hostname(),
      pid: process.pid,
    })
    const t = r.trial as ClaimedTrial | null
    return t && { ...t, uuid }
  }

  async end(name: string, number: number, end: TrialEnd): Promise<void> {
    await this.request(`ending trial ${number} of sweep "${name}"`, 'POST', this.path(name, `/trials/${number}/end`), { ...this.id(), ...end })
  }

  async heartbeat(name: string, number: number): Promise<void> {
    await this.request(`beating trial ${number} of sweep "${name}"`, 'POST', this.path(name, `/trials/${number}/heartbeat`))
  }

  async shouldPrune(name: string, number: number): Promise<boolean> {
    return (await this.request(`asking the pruner of sweep "${name}"`, 'GET', this.path(name, `/trials/${number}/prune`))).prune === true
  }

  /** Every sweep with its counts and best trial, newest first. */
  async list(): Promise<SweepSummary[]> {
    return (await this.request('listing sweeps', 'GET', '/api/sweeps')).sweeps as SweepSummary[]
  }

  /** Stops handing out trials (running ones go on). */
  async stop(name: string): Promise<void> {
    await this.request(`stopping sweep "${name}"`, 'POST', this.path(name, '/stop'), this.id())
  }

  /** Creates the sweep on the server from a config (W&B's format or camelCase). */
  async create(config: Record<string, unknown>): Promise<SweepView> {
    return (await this.request('creating a sweep', 'POST', '/api/sweeps', { ...this.id(), config })) as unknown as SweepView
  }
}
