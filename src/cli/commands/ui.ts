import type { Command } from 'commander'
import { resolveDbPath } from '../../config.js'
import { withDb } from '../db.js'
import { out } from '../output.js'
import { parseCount } from '../parse.js'

interface StartUi {
  startUi(opts: { dbPath: string; port?: number; host?: string; token?: string; open?: boolean }): Promise<{ url: string; close(): Promise<void> }>
}

// A variable, so the CLI compiles before (and without) the server module.
const SERVER_MODULE = '../../server/start.js'

/** `mldb ui`: the local dashboard. */
export function registerUi(program: Command): void {
  withDb(program.command('ui'))
    .description('serve the dashboard on http://127.0.0.1:5757 (binding another host needs --token)')
    .option('--port <n>', 'the port', parseCount, 5757)
    .option('--host <host>', 'the address to bind', '127.0.0.1')
    .option('--token <token>', 'require this token (needed for any host but 127.0.0.1/localhost)')
    .option('--open', 'open the dashboard in a browser')
    .action(async (opts: { db?: string; port: number; host: string; token?: string; open?: boolean }) => {
      const { startUi } = (await import(SERVER_MODULE)) as StartUi
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
