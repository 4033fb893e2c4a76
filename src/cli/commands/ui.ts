import type { Command } from 'commander'
import { resolveDbPath } from '../../config.js'
import { withDb } from '../db.js'
import { out } from '../output.js'
import { parsePort } from '../parse.js'

/** `mldb ui`: the local dashboard. */
export function registerUi(program: Command): void {
  withDb(program.command('ui'))
    .description('serve the dashboard on http://127.0.0.1:5757, behind a random token made for each start (open the URL it prints)')
    .option('--port <n>', 'the port (0 picks a free one)', parsePort, 5757)
    .option('--host <host>', 'the address to bind (0.0.0.0: every address of this machine)', '127.0.0.1')
    .option('--token <token>', 'require this token instead of a random one (also MLDB_TOKEN)')
    .option('--no-token', 'serve without a token (127.0.0.1/localhost only: on a shared machine any local user could read and edit)')
    .option('--open', 'open the dashboard in a browser')
    .action(async (opts: { db?: string; port: number; host: string; token?: string | false; open?: boolean }) => {
      // Loaded on demand: the other commands need not pay for the server's imports.
      const { startUi } = await import('../../server/start.js')
      const server = await startUi({
        dbPath: resolveDbPath(opts.db).path,
        port: opts.port,
        host: opts.host,
        ...(typeof opts.token === 'string' ? { token: opts.token } : {}),
        noToken: opts.token === false,
        open: opts.open ?? false,
      })
      if (server.urls.length === 1) out(`mldb ui on ${server.url} (Ctrl-C stops it)`)
      else out(`mldb ui on:${server.urls.map((u) => `\n  ${u}`).join('')}\n(Ctrl-C stops it)`)
      const stop = () => {
        server.close().finally(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
