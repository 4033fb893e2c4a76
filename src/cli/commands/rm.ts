import { rmSync } from 'node:fs'
import type { Command } from 'commander'
import { fileUser, modelUser, trashState } from '../../api/trash-lookup.js'
import { MldbError, NotFoundError } from '../../errors.js'
import { openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { color, out } from '../output.js'
import { confirm, interactive } from '../prompt.js'

interface RmOptions {
  db?: string
  purge?: boolean
  yes?: boolean
  deleteFiles?: boolean
}

/** `mldb rm EXP...`: to the trash, or with --purge gone for good. */
export function registerRm(program: Command): void {
  withDb(program.command('rm'))
    .description('move experiments to the trash (`mldb restore` brings them back); --purge deletes them for good')
    .argument('<experiments...>', 'experiment names')
    .option('--purge', 'delete for good (live or trashed experiments), after a confirmation')
    .option('-y, --yes', 'do not ask before purging')
    .option('--delete-files', 'with --purge: also delete the files on disk the experiments point to')
    .action(async (given: string[], opts: RmOptions) => {
      // `mldb rm a a` means a once
      const names = [...new Set(given)]
      if (opts.deleteFiles && !opts.purge) throw new UsageError('--delete-files only goes with --purge (trashed experiments can come back, with their files)')
      using db = openForWrite(opts.db)
      // check every name first: one unknown name and nothing is touched
      const stateOf = trashState(db)
      for (const n of names) {
        const state = stateOf(n)
        if (!state || (!opts.purge && state === 'trashed')) {
          throw new NotFoundError(
            state
              ? `experiment "${n}" is already in the trash; purge it with \`mldb rm --purge\``
              : `no experiment named "${n}" in ${db.path}; check the name with \`mldb ls\``,
            'experiment',
            n,
          )
        }
      }
      if (!opts.purge) {
        for (const n of names) db.trashExperiment(n)
        out(`moved ${names.length} experiment${names.length === 1 ? '' : 's'} to the trash; \`mldb restore\` brings ${names.length === 1 ? 'it' : 'them'} back`)
        return
      }
      if (!opts.yes) {
        if (!interactive()) throw new MldbError('--purge deletes for good; add --yes to confirm when not at a terminal')
        const what = `${names.length} experiment${names.length === 1 ? '' : 's'}${opts.deleteFiles ? ' and their files on disk' : ''}`
        if (!(await confirm(`Delete ${what} for good?`))) {
          out('nothing deleted')
          return
        }
      }
      const recorded: string[] = []
      for (const n of names) recorded.push(...db.purgeExperiment(n).map((f) => f.path))
      let files = 0
      if (opts.deleteFiles) {
        // Only after every purge: a file shared by two of the purged experiments
        // goes, one still pointed to by any other (live or trashed) one stays.
        for (const path of new Set(recorded)) {
          const version = modelUser(db, path)
          if (version) {
            out(`kept ${path}: model version ${version} is registered with it`)
            continue
          }
          const user = fileUser(db, path)
          if (user) {
            out(`kept ${path}: experiment "${user.name}"${user.trashed ? ' (in the trash)' : ''} still points to it`)
            continue
          }
          try {
            rmSync(path)
            files++
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOENT') process.stderr.write(`mldb: could not delete ${path}: ${(e as Error).message}\n`)
          }
        }
      }
      out(
        `deleted ${names.length} experiment${names.length === 1 ? '' : 's'}${opts.deleteFiles ? ` and ${files} file${files === 1 ? '' : 's'}` : ''} ${color.dim('for good')}`,
      )
    })
}
