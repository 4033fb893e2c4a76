import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { resolveDbPath } from '../../config.js'
import { MldbError } from '../../errors.js'
import { UsageError } from '../errors.js'
import { out, printJson } from '../output.js'
import { progress } from '../progress.js'

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`

const parseSeconds = (v: string): number => {
  const n = Number(v)
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw new UsageError(`--timeout takes a number of seconds, got "${v}"`)
  return n
}

/**
 * `mldb sync`: pushes what a local file holds that the team server has not
 * acknowledged (the same sender as a training script's, so whatever it
 * already sent is not sent twice). `--watch` keeps going; `--pending` only lists.
 */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('send what the local file holds and the team server has not acknowledged (exactly once); --pending lists it per experiment')
    .option('--db <path>', 'the local database file (default: MLDB_DB_PATH, ~/.mldb_config.json, ~/.mldb/mldb.db)')
    .option('--server <url>', 'the team server (default: MLDB_SERVER, "server" in ~/.mldb_config.json)')
    .option('--token <token>', 'its access token (default: MLDB_TOKEN, "token" in ~/.mldb_config.json)')
    .option('--watch', 'keep sending what is logged from now on (Ctrl-C stops)')
    .option('--pending', 'list what is not yet on the server, per experiment, and exit')
    .option('--timeout <seconds>', 'give up when no write got through for this long', parseSeconds, 60)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; server?: string; token?: string; watch?: boolean; pending?: boolean; timeout: number; json?: boolean }) => {
      const { resolveSyncTarget } = await import('../../sync/server-config.js')
      const { Sender } = await import('../../sync/sender.js')
      const path = resolveDbPath(opts.db).path
      if (!existsSync(path)) throw new MldbError(`no database at ${path}; point --db at the file to send`)
      const target = resolveSyncTarget({ server: opts.server, token: opts.token }, { ...process.env, MLDB_SYNC: undefined })
      if (!target) throw new MldbError('no server to send to: give --server URL, or set MLDB_SERVER (and MLDB_TOKEN)')
      const sender = new Sender({ path, server: target.server, token: target.token })
      try {
        if (opts.pending) {
          const p = sender.pending()
          const refused = sender.rows.outbox().filter((r) => r.error !== null)
          if (opts.json) printJson({ server: target.server, ...p, refusedWrites: refused.map((r) => ({ path: r.path, error: r.error })) })
          else {
            for (const e of p.experiments) out(`${e.name}\t${count(e.points, 'point')}\t${count(e.writes, 'write')}`)
            for (const r of refused) out(`refused\t${r.path}\t${r.error}`)
            out(`${count(p.points, 'point')} and ${count(p.writes, 'other write')} not yet on ${target.server}`)
          }
          return
        }
        const start = sender.pending()
        const bar = progress(`sync → ${target.server}`)
        bar.start(start.points + start.writes)
        let shown = 0
        const tick = () => {
          const done = sender.sentPoints + sender.sentWrites
          bar.tick(done - shown)
          shown = done
        }
        let lastProgress = Date.now()
        let full = true
        let busyNoted = false
        for (;;) {
          const before = sender.sentWrites
          const r = await sender.step(full)
          tick()
          if (sender.sentWrites > before) lastProgress = Date.now()
          if (r === 'more') {
            full = false
            continue
          }
          full = true
          if (r === 'idle' && !opts.watch) break
          if (r === 'busy') {
            if (!busyNoted) process.stderr.write('mldb: another process is sending this file to the server now; waiting for it\n')
            busyNoted = true
            const left = sender.pending()
            if (!opts.watch && left.points + left.writes === 0) break
            lastProgress = Date.now()
          }
          if (!opts.watch && Date.now() - lastProgress > opts.timeout * 1000) break
          const wait = r === 'idle' ? 500 : r === 'busy' ? 1000 : Math.max(20, sender.nextTryAt - Date.now())
          await new Promise((res) => setTimeout(res, wait))
        }
        bar.stop()
        const left = sender.pending()
        if (opts.json) printJson({ server: target.server, sentPoints: sender.sentPoints, sentWrites: sender.sentWrites, ...left })
        if (left.points + left.writes > 0) {
          throw new MldbError(
            `${count(left.points, 'point')} and ${count(left.writes, 'other write')} are still not on ${target.server} (${sender.failingKind === 'auth' ? 'the token was refused' : 'the server did not answer'}); run \`mldb sync\` again later`,
          )
        }
        if (!opts.json) out(`sent ${count(sender.sentPoints, 'point')} and ${count(sender.sentWrites, 'write')} to ${target.server}; nothing is left to send`)
      } finally {
        sender.close()
      }
    })
}
