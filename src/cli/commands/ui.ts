import type { Command } from 'commander'
import { resolveDbPath } from '../../config.js'
import { withDb } from '../db.js'
import { out } from '../output.js'
import { parsePort } from '../parse.js'

/** `mldb ui`: the local dashboard. */
export function registerUi(program: Command): void {
  withDb(program.command('ui'))
    .description('serve the dashboard on http://127.0.0.1:5757 (binding another host needs --token)')
    .option('--port <n>', 'the port (0 picks a free one)', parsePort, 5757)
    .option('--host <host>', 'the address to bind', '127.0.0.1')
    .option('--token <token>', 'require this token (needed for any host but 127.0.0.1/localhost)')
    .option('--open', 'open the dashboard in a browser')
    .action(async (opts: { db?: string; port: number; host: string; token?: string; open?: boolean }) => {
      // Loaded on demand: the other commands need not pay for the server's imports.
      const { startUi } = await import('../../server/start.js')
      const server = await startUi({
        dbPath: resolveDbPath(opts.db).path,
        port: opts.port,
        host: opts.host,
        ...(opts.token === undefined ? {} : { token: opts.token }),
        open: opts.open ?? false,
      })
      out(`mldb ui on ${server.url} (Ctrl-C stops it)`)
      const stop = () => {
        server.close().finally(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
}
