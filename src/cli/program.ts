import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { registerBest } from './commands/best.js'
import { registerCompare } from './commands/compare.js'
import { registerConfig } from './commands/config.js'
import { registerDoctor } from './commands/doctor.js'
import { registerExport } from './commands/export.js'
import { registerFile } from './commands/file.js'
import { registerImport } from './commands/import.js'
import { registerInit } from './commands/init.js'
import { registerLog } from './commands/log.js'
import { registerLs } from './commands/ls.js'
import { registerModel } from './commands/model.js'
import { registerParam } from './commands/param.js'
import { registerRestore } from './commands/restore.js'
import { registerRm } from './commands/rm.js'
import { registerServer } from './commands/server.js'
import { registerShow } from './commands/show.js'
import { registerSql } from './commands/sql.js'
import { registerStatus } from './commands/status.js'
import { registerSweep } from './commands/sweep.js'
import { registerSync } from './commands/sync.js'
import { registerTag } from './commands/tag.js'
import { registerToken } from './commands/token.js'
import { registerUi } from './commands/ui.js'
import { applyGlobalOptions } from './global-options.js'

/** The package version, found by walking up from this file (src/cli or dist/src/cli). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    dir = dirname(dir)
  }
  return 'unknown'
}

/**
 * The `mldb` command with every subcommand. Errors are thrown, not exited on,
 * so main.ts decides the exit status in one place.
 */
export function buildProgram(): Command {
  const program = new Command('mldb')
    .description('A model database: statuses, params and metrics of training runs in one SQLite file.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({
      // commander's "error: ..." (and its "Did you mean" hint) as one line, our way
      outputError: (str, write) =>
        write(
          `mldb: ${str
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')
            .trim()}\n`,
        ),
    })
    .showSuggestionAfterError(true)
  applyGlobalOptions(program)
  for (const register of [
    registerLs,
    registerShow,
    registerBest,
    registerCompare,
    registerStatus,
    registerLog,
    registerParam,
    registerTag,
    registerFile,
    registerModel,
    registerSweep,
    registerSync,
    registerSql,
    registerExport,
    registerImport,
    registerRm,
    registerRestore,
    registerDoctor,
    registerInit,
    registerConfig,
    registerUi,
    registerServer,
    registerToken,
  ]) {
    register(program)
  }
  return program
}
