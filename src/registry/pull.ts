import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { sha256File } from '../api/files.js'
import { MldbError } from '../errors.js'
import type { RemoteRegistry } from './remote-registry.js'
import type { ModelVersion } from './types.js'

/** Where pulled versions are kept by default: ~/.mldb/models/NAME/VERSION/. */
export function modelCacheDir(v: Pick<ModelVersion, 'name' | 'version'>, env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME ?? homedir(), '.mldb', 'models', v.name, String(v.version))
}

/**
 * Downloads a version's bytes from the team server's artifact store into
 * `outDir` (default the cache), named as the registered file, and checks the
 * sha256; a file already there with the right hash is not fetched again.
 * Returns the version and the file's path.
 *
 * @example pullModel(remote, 'iris@champion').path // ~/.mldb/models/iris/3/model.json
 */
export function pullModel(remote: RemoteRegistry, ref: string, outDir?: string): { version: ModelVersion; path: string } {
  const version = remote.get(ref)
  const dir = resolve(outDir ?? modelCacheDir(version))
  const path = join(dir, basename(version.path))
  if (existsSync(path) && sha256File(path) === version.sha256) return { version, path }
  mkdirSync(dir, { recursive: true })
  const part = `${path}.part-${process.pid}`
  try {
    remote.download(version, part)
    const got = sha256File(part)
    if (got !== version.sha256)
      throw new MldbError(
        `${version.name}/${version.version}: the server sent bytes whose sha256 is ${got}, not the registered ${version.sha256}; nothing was kept`,
      )
    renameSync(part, path)
  } finally {
    rmSync(part, { force: true })
  }
  return { version, path }
}
