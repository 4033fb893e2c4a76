import type { Command } from 'commander'
import { FILE_KINDS, type FileKind, statFile } from '../../api/files.js'
import { openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { printJson } from '../output.js'
import { parseStep } from '../parse.js'

/** `mldb file EXP PATH --kind model`: records a pointer to a file on disk. */
export function registerFile(program: Command): void {
  withDb(program.command('file'))
    .description('record a file on disk (path, size, mtime and optionally sha256); the file stays where it is')
    .argument('<experiment>', 'the experiment name (created when new)')
    .argument('<path>', 'the file')
    .option('-k, --kind <kind>', `one of ${FILE_KINDS.join(', ')}`, 'other')
    .option('--step <n>', 'the step the file belongs to (an integer; negative ones allowed)', parseStep)
    .option('--hash', 'compute and store its sha256')
    .option('--json', 'print the record as JSON')
    .action((exp: string, path: string, opts: { db?: string; kind: string; step?: number; hash?: boolean; json?: boolean }) => {
      if (!(FILE_KINDS as readonly string[]).includes(opts.kind)) throw new UsageError(`--kind must be one of ${FILE_KINDS.join(', ')}, got "${opts.kind}"`)
      statFile(path) // a missing file fails before the database is opened (or created)
      using db = openForWrite(opts.db)
      const rec = db.addFile(exp, path, {
        kind: opts.kind as FileKind,
        hash: opts.hash ?? false,
        ...(opts.step === undefined ? {} : { step: opts.step }),
      })
      if (opts.json) printJson(rec)
    })
}
