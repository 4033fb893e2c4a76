import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { checkBundle, type ExperimentBundle, existingNames, writeBundles } from '../../api/import-bundle.js'
import { readExportFile } from '../../api/import-records.js'
import { isMlflowStore } from '../../api/mlflow-import.js'
import { isPostgresUrl } from '../../api/mlflow-pg-import.js'
import { MldbError, NotFoundError } from '../../errors.js'
import { openForWrite, withDb } from '../db.js'
import { printJson } from '../output.js'
import { progress } from '../progress.js'
import { type ImportOptions, importMlflowPostgres, importMlflowSource } from './import-mlflow.js'

/** `mldb import FILE|DIR`: an `mldb export` file, or an MLflow `mlruns/` folder. */
export function registerImport(program: Command): void {
  withDb(program.command('import'))
    .description('import an `mldb export` file (JSONL or CSV), or an MLflow store whole: mlruns/, mlflow.db or postgresql://… (runs, logged models, registry)')
    .argument('<path>', 'the file or folder, or postgresql://… (an MLflow tracking database)')
    .option('--json', 'print what was imported as JSON')
    .option(
      '--copy-artifacts [dir]',
      "MLflow sources: copy local artifact bytes (run artifacts, logged models) into DIR (default <database>-artifacts, which `mldb ui` serves to MLflow's client; `mldb server` serves <its artifacts folder>/mlflow); file records point at the copies, with sha256. Without it they point where MLflow put the files",
    )
    .action((path: string, opts: ImportOptions) => {
      if (isPostgresUrl(path)) return importMlflowPostgres(path, opts)
      if (!existsSync(path)) throw new NotFoundError(`${path} does not exist; give an \`mldb export\` file or an MLflow mlruns/ folder`, 'file', path)
      const isDir = statSync(path).isDirectory()
      if (importMlflowSource(path, opts)) return
      if (isDir && !isMlflowStore(path)) throw new MldbError(`${path} is a folder but not an MLflow file store (no <experiment>/meta.yaml inside)`)
      // everything is read and checked before the database is opened, so bad input writes nothing
      let bundles: ExperimentBundle[]
      const skipped = 0
      let db: ReturnType<typeof openForWrite> | undefined
      // MLflow sources went through importMlflowSource above
      if (opts.copyArtifacts !== undefined)
        throw new MldbError('--copy-artifacts is for MLflow sources (mlflow.db, mlruns/, postgresql://…); an mldb export file has no artifacts to copy')
      bundles = readExportFile(path)
      try {
        for (const b of bundles) checkBundle(b)
        db ??= openForWrite(opts.db)
        const clash = existingNames(
          db,
          bundles.map((b) => b.name),
        )
        if (clash.length) {
          throw new MldbError(
            `${clash.length} experiment${clash.length === 1 ? '' : 's'} already exist in ${db.path} (${clash.slice(0, 3).join(', ')}${clash.length > 3 ? ', ...' : ''}); nothing was imported`,
          )
        }
        const bar = progress('import')
        bar.start(bundles.length)
        try {
          // one transaction for the whole source: a killed import leaves nothing, and a rerun completes it
          writeBundles(db, bundles, () => bar.tick())
        } finally {
          bar.stop()
        }
        const points = bundles.reduce((n, b) => n + b.points.length, 0)
        if (opts.json) printJson({ experiments: bundles.map((b) => b.name), points, skippedDeleted: skipped })
        else
          process.stderr.write(
            `imported ${bundles.length} experiment${bundles.length === 1 ? '' : 's'} and ${points} point${points === 1 ? '' : 's'}${skipped ? ` (${skipped} deleted MLflow runs left out)` : ''}\n`,
          )
      } finally {
        db?.close()
      }
    })
}
