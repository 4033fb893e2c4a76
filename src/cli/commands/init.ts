import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import { Database } from '../../api/database.js'
import { configFilePath } from '../../config.js'
import { MldbError } from '../../errors.js'
import { out } from '../output.js'
import { confirm, interactive } from '../prompt.js'

/** `mldb init`: writes ~/.mldb_config.json and creates the database. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write ~/.mldb_config.json ({"db_path": ...}) and create the database there')
    .option('--db <path>', 'the database file to use from now on (default: ~/.mldb/mldb.db)')
    .option('-f, --force', 'overwrite an existing config file without asking')
    .action(async (opts: { db?: string; force?: boolean }) => {
      const file = configFilePath()
      const dbPath = resolve(opts.db ?? join(process.env.HOME ?? homedir(), '.mldb', 'mldb.db'))
      if (existsSync(file) && !opts.force) {
        if (!interactive()) throw new MldbError(`${file} exists; add --force to overwrite it`)
        if (!(await confirm(`${file} exists. Overwrite it?`))) {
          out('left it as it was')
          return
        }
      }
      // create (or check) the database first: a config that points at a broken file helps nobody
      new Database({ path: dbPath }).close()
      mkdirSync(dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      writeFileSync(tmp, `${JSON.stringify({ db_path: dbPath }, null, 2)}\n`)
      renameSync(tmp, file)
      out(`wrote ${file}: the database is ${dbPath}`)
    })
}
