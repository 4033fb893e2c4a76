import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { MldbError } from '../../errors.js'
import { UsageError } from '../errors.js'
import { out } from '../output.js'
import { parsePort } from '../parse.js'

const parseBytes = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
    // a bad number on the command line: exit 2, as --port abc
    throw new UsageError(`--max-artifact-bytes takes a whole number of bytes, got "${v}"`)
  return Number(v)
}

/** `mldb server`: the team server on a SQLite file or PostgreSQL. */
export function registerServer(program: Command): void {
  program
    .command('server')
    .description('serve the team server (write API, read API, artifacts, dashboard) on a SQLite file or a PostgreSQL database')
    .option('--db <path|url>', 'a SQLite file, or postgresql://user:pass@host:5432/name (default: MLDB_DB_PATH, ~/.mldb_config.json, ~/.mldb/mldb.db)')
    .option('--port <n>', 'the port (0 picks a free one)', parsePort, 5757)
    .option('--host <host>', 'the address to bind (0.0.0.0: every address; tokens are always required then)', '127.0.0.1')
    .option('--artifacts <dir>', 'where uploaded files are kept, one per sha256 (default: artifacts/ beside the file, ~/.mldb/artifacts for PostgreSQL)')
    .option('--max-artifact-bytes <n>', 'the largest upload accepted (default 10 GiB)', parseBytes)
    .option('--token <token>', 'a full-access token for this start instead of a random one (also MLDB_TOKEN); `mldb token create` makes lasting ones')
    .option('--no-token', 'serve without a token (127.0.0.1/localhost only)')
    .action(async (opts: { db?: string; port: number; host: string; artifacts?: string; maxArtifactBytes?: number; token?: string | false }) => {
      // named before the server makes it, which otherwise fails with Node's "EEXIST: ... mkdir"
      if (opts.artifacts === '') throw new UsageError('--artifacts is empty; give a folder, or leave it out for the default')
      if (opts.artifacts !== undefined && existsSync(opts.artifacts) && !statSync(opts.artifacts).isDirectory())
        throw new MldbError(`--artifacts ${opts.artifacts} is a file; give a folder for the uploaded files`)
      const { startServer } = await import('../../server/server-start.js')
      const server = await startServer({
        db: opts.db,
        port: opts.port,
        host: opts.host,
        artifacts: opts.artifacts,
        maxArtifactBytes: opts.maxArtifactBytes,
        ...(typeof opts.token === 'string' ? { token: opts.token } : {}),
        noToken: opts.token === false,
      })
      out(`mldb server on ${server.urls.join(' ')} (${server.store.kind}: ${server.store.location}; artifacts in ${server.artifactsDir})`)
      if (server.token) out(`start token (full access, this start only): ${server.token}; dashboard: ${server.url}?token=${server.token}`)
      out('Ctrl-C stops it')
      const stop = () => {
        server.close().finally(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
