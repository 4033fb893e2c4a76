import { resolveSyncTarget } from '../sync/server-config.js'
import { check, type Registry, who } from './registry.js'
import { RemoteRegistry } from './remote-registry.js'
import type { AliasChange, ModelCheck, ModelVersion, RegisteredModel, RegisterModelOptions } from './types.js'

/** What Database asks of its registry: the local one, or the team server's when one is configured. */
export type RegistryApi = Pick<
  Registry,
  'register' | 'get' | 'setAlias' | 'deleteAlias' | 'update' | 'list' | 'versions' | 'versionsOfExperiment' | 'history' | 'verify' | 'verifyAll'
>

/**
 * The registry of a Database with a team server configured: registrations,
 * alias moves and reads go to the server directly (docs/server.md, "Direct
 * calls"), so a version number or an alias means the same on every machine.
 * The local file still gathers the evidence (the recorded file, its sha256,
 * the experiment's params and series) and re-hashes files for verify.
 */
class RoutedRegistry implements RegistryApi {
  constructor(
    private readonly local: Registry,
    private readonly remote: RemoteRegistry,
  ) {}

  register(name: string, options: RegisterModelOptions): ModelVersion {
    const r = this.local.remoteRegistration(name, options)
    return this.remote.register(r, r.evidence.path)
  }

  get(ref: string): ModelVersion {
    return this.remote.get(ref)
  }

  setAlias(name: string, alias: string, version: number): void {
    this.remote.setAlias(name, alias, version, who())
  }

  deleteAlias(name: string, alias: string): void {
    this.remote.setAlias(name, alias, null, who())
  }

  /** Description and tags stay a local edit (the server has no route for them yet). */
  update(name: string, options: { description?: string; tags?: Record<string, string> }): RegisteredModel {
    return this.local.update(name, options)
  }

  list(): RegisteredModel[] {
    return this.remote.list()
  }

  versions(name?: string): ModelVersion[] {
    if (name !== undefined) return this.remote.versions(name)
    return this.remote.list().flatMap((m) => this.remote.versions(m.name))
  }

  versionsOfExperiment(exp: string): ModelVersion[] {
    return this.versions().filter((v) => v.exp === exp)
  }

  history(name: string): AliasChange[] {
    return this.remote.history(name)
  }

  verify(ref: string): ModelCheck {
    return check(this.remote.get(ref))
  }

  verifyAll(name?: string): ModelCheck[] {
    return this.versions(name).map(check)
  }
}

/**
 * The registry a Database uses: the server's when one is configured (the
 * `server`/`token` options, MLDB_SERVER/MLDB_TOKEN or the config file; '' for
 * none), else the local one.
 *
 * @example this.registry = routedRegistry(new Registry(host), options, path)
 */
export function routedRegistry(local: Registry, o: { server?: string | undefined; token?: string | undefined }, path: string): RegistryApi {
  if (path === ':memory:') return local
  const target = resolveSyncTarget(o)
  return target ? new RoutedRegistry(local, new RemoteRegistry(target.server, target.token)) : local
}
