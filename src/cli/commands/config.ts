import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { resolveDbPath } from '../../config.js'
import { withDb } from '../db.js'
import { color, out, printJson } from '../output.js'
import { readTarget } from '../read-target.js'

const WHY: Record<string, string> = {
  option: 'given with --db',
  CONFIG: 'set by CONFIG.db_path',
  env: 'from the MLDB_DB_PATH environment variable',
  'config-file': 'from the config file',
  default: 'the default (no --db, no MLDB_DB_PATH, no config file)',
}

/** `mldb config`: which database is used, and why. */
export function registerConfig(program: Command): void {
  withDb(program.command('config'))
    .description('print which database file is used and why (--db, MLDB_DB_PATH, ~/.mldb_config.json or the default)')
    .option('--json', 'print JSON')
    .action((opts: { db?: string; json?: boolean }) => {
      const r = resolveDbPath(opts.db)
      // ls, show, best, compare and export read a team server when one is set and no file is named (docs/cli.md)
      const target = readTarget({ db: opts.db })
      const readServer = target.kind === 'server' ? target.server : null
      const info = {
        path: r.path,
        source: r.source,
        exists: existsSync(r.path),
        configFile: r.configFile,
        configFileExists: existsSync(r.configFile),
        readServer,
      }
      if (opts.json) {
        printJson(info)
        return
      }
      out(`database     ${color.bold(r.path)}${info.exists ? '' : color.yellow(' (does not exist yet)')}`)
      out(`because      ${WHY[r.source]}`)
      out(`config file  ${r.configFile}${info.configFileExists ? '' : color.dim(' (none)')}`)
      if (readServer)
        out(`reads        ls, show, best, compare, export through ${color.bold(readServer)} (MLDB_SERVER or "server" in the config file; --db reads the file)`)
    })
}
