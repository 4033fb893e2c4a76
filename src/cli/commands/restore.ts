import type { Command } from 'commander'
import { trashState } from '../../api/trash-lookup.js'
import { NotFoundError } from '../../errors.js'
import { openForWrite, withDb } from '../db.js'
import { out } from '../output.js'

/** `mldb restore EXP...`: back from the trash. */
export function registerRestore(program: Command): void {
  withDb(program.command('restore'))
    .description('bring experiments back from the trash')
    .argument('<experiments...>', 'experiment names (see them with `mldb ls --trash`)')
    .action((given: string[], opts: { db?: string }) => {
      // `mldb restore a a` means a once
      const names = [...new Set(given)]
      using db = openForWrite(opts.db)
      const stateOf = trashState(db)
      for (const n of names) {
        if (stateOf(n) !== 'trashed') throw new NotFoundError(`no experiment named "${n}" in the trash; see it with \`mldb ls --trash\``, 'experiment', n)
      }
      for (const n of names) db.restoreExperiment(n)
      out(`restored ${names.length} experiment${names.length === 1 ? '' : 's'}`)
    })
}
