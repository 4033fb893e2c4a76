import type { Command } from 'commander'
import { UsageError } from './errors.js'

/**
 * Options that may come before or after the command: `mldb --db x.db ls` and
 * `mldb ls --db x.db` mean the same. Each is declared on the program (so it
 * parses before the command) and on the commands that use it (so their help
 * shows it); commander gives an option to the program wherever it appears,
 * and {@link applyGlobalOptions} hands it on. A later `--server` is one more entry.
 */
export const GLOBAL_OPTIONS = [
  { flags: '--db <path>', key: 'db', help: 'the database file, before or after the command (default: MLDB_DB_PATH, ~/.mldb_config.json, ~/.mldb/mldb.db)' },
  { flags: '--server <url>', key: 'server', help: 'the team server (default: MLDB_SERVER, "server" in ~/.mldb_config.json)' },
  { flags: '--json', key: 'json', help: 'print JSON (read commands), before or after the command' },
] as const

/**
 * Declares the global options on the program and copies their values into the
 * command that runs; a command that has no use for one refuses it (exit 2).
 *
 * @example applyGlobalOptions(new Command('mldb'))
 */
export function applyGlobalOptions(program: Command): Command {
  for (const o of GLOBAL_OPTIONS) program.option(o.flags, o.help)
  return program.hook('preAction', (_program, command) => {
    if (command === program) return
    for (const o of GLOBAL_OPTIONS) {
      const value = program.getOptionValue(o.key)
      if (value === undefined) continue
      if (!command.options.some((opt) => opt.attributeName() === o.key)) {
        const path: string[] = []
        for (let c: Command | null = command; c && c !== program; c = c.parent) path.unshift(c.name())
        throw new UsageError(`\`mldb ${path.join(' ')}\` does not take ${o.flags.split(' ')[0]}`)
      }
      // commander usually leaves the command's own copy unset; when it did parse one, that one is later on the line
      if (command.getOptionValue(o.key) === undefined) command.setOptionValue(o.key, value)
    }
    // SQLite opens "" as a temporary database that vanishes at exit: `--db "$UNSET_VAR" log ...` would drop every write and exit 0
    if (command.getOptionValue('db') === '') throw new UsageError('--db is empty; give the path of a database file, or leave --db out for the default')
  })
}
