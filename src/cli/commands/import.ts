import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { checkBundle, type ExportBundles, existingNames, writeBundles } from '../../api/import-bundle.js'
import { readExportFile } from '../../api/import-records.js'
import { isMlflowStore } from '../../api/mlflow-import.js'
import { isPostgresUrl } from '../../api/mlflow-pg-import.js'
import { MldbError, NotFoundError } from '../../errors.js'
import { emptyRegistryResult, type RegistryImportResult } from '../../registry/registry-import.js'
import { openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { printJson } from '../output.js'
import { progress } from '../progress.js'
import { type ImportOptions, importMlflowPostgres, importMlflowSource } from './import-mlflow.js'
import { refuseOtherSqlite } from './import-sqlite.js'

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
      if (path === '') throw new UsageError('the path to import is empty; give an `mldb export` file, mlflow.db or mlruns/')
      if (isPostgresUrl(path)) return importMlflowPostgres(path, opts)
      if (!existsSync(path)) throw new NotFoundError(`${path} does not exist; give an \`mldb export\` file or an MLflow mlruns/ folder`, 'file', path)
      const isDir = statSync(path).isDirectory()
      if (importMlflowSource(path, opts)) return
      if (isDir && !isMlflowStore(path)) throw new MldbError(`${path} is a folder but not an MLflow file store (no <experiment>/meta.yaml inside)`)
      if (!isDir) refuseOtherSqlite(path)
      // everything is read and checked before the database is opened, so bad input writes nothing
      let db: ReturnType<typeof openForWrite> | undefined
      let registry: RegistryImportResult | undefined
      // MLflow sources went through importMlflowSource above
      if (opts.copyArtifacts !== undefined)
        throw new MldbError('--copy-artifacts is for MLflow sources (mlflow.db, mlruns/, postgresql://…); an mldb export file has no artifacts to copy')
      const bundles: ExportBundles = readExportFile(path)
      try {
        for (const b of bundles) checkBundle(b)
        db = openForWrite(opts.db)
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
          registry = writeBundles(db, bundles, () => bar.tick())
        } finally {
          bar.stop()
        }
        const points = bundles.reduce((n, b) => n + b.points.length, 0)
        const r = registry ?? emptyRegistryResult()
        if (opts.json)
          printJson({
            experiments: bundles.map((b) => b.name),
            points,
            // an export file holds no deleted MLflow runs; the key stays for scripts reading --json
            skippedDeleted: 0,
            registry: {
              models: r.models,
              versions: r.versions,
              aliases: r.aliases,
              alreadyThere: { versions: r.alreadyImported, aliases: r.aliasesAlreadyThere },
              leftOut: r.leftOut,
            },
          })
        else process.stderr.write(`${importSummary(bundles.length, points, registry)}\n`)
      } finally {
        db?.close()
      }
    })
}

/** `3 experiments`, `1 alias`: a count and its noun. */
const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** `a`, `a and b`, `a, b and c`. */
const listed = (parts: string[]): string => (parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`)

/**
 * The line `mldb import` ends with: experiments and points, and when the file
 * had registry records what of them was written, already there, or left out
 * (each left-out one was said in its own line before).
 *
 * @example importSummary(2, 15, r) // "imported 2 experiments, 15 points, 1 model, 2 model versions and 1 alias"
 */
export function importSummary(experiments: number, points: number, r: RegistryImportResult | undefined): string {
  const head = [count(experiments, 'experiment'), count(points, 'point')]
  if (!r) return `imported ${listed(head)}`
  const there = [
    r.alreadyImported ? count(r.alreadyImported, 'model version') : '',
    r.aliasesAlreadyThere ? count(r.aliasesAlreadyThere, 'alias', 'aliases') : '',
  ]
  const out = [r.leftOut.versions ? count(r.leftOut.versions, 'model version') : '', r.leftOut.aliases ? count(r.leftOut.aliases, 'alias', 'aliases') : '']
  const already = there.filter(Boolean)
  const left = out.filter(Boolean)
  return `imported ${listed([...head, count(r.models, 'model'), count(r.versions, 'model version'), count(r.aliases, 'alias', 'aliases')])}${
    already.length ? ` (already there: ${listed(already)})` : ''
  }${left.length ? `; left out: ${listed(left)}` : ''}`
}
