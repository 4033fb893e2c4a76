import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { exportMlflow } from '../../api/mlflow-export.js'
import { CSV_COLUMNS, type ExportRecord, toCsvRow } from '../../api/records.js'
import { MldbError } from '../../errors.js'
import { toJson } from '../../json.js'
import { openForRead } from '../db.js'
import { fileWriteError, UsageError } from '../errors.js'
import { progress } from '../progress.js'
import { readTarget } from '../read-target.js'
import { openReader, withSource } from '../reader.js'
import { writeAll, writeStdout } from '../write-all.js'

/** Text is written in chunks of about this many characters. */
const CHUNK = 1 << 20

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

/** Thrown inside the export loop when the user pressed Ctrl-C (see `pause`). */
class Interrupted extends Error {}

/** `mldb export`: every point in long form plus params, tags, files and history, as JSONL or CSV. */
export function registerExport(program: Command): void {
  withSource(program.command('export'))
    .description(
      'write every point (experiment, project, series, split, step, time, value) plus params, tags, files and status history, then the model registry',
    )
    .option('-w, --where <filter>', 'only experiments matching a filter')
    .option('-p, --project <name>', 'only this project')
    .option('-f, --format <format>', 'jsonl, csv, or mlflow (an MLflow file store folder; default: from --out, else jsonl)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .argument('[dir]', 'with --format mlflow: the folder to write (same as --out)')
    .action(async (dir: string | undefined, opts: { db?: string; server?: string; where?: string; project?: string; format?: string; out?: string }) => {
      // an unset variable: without this, --out "" wrote to stdout and a folder "" was the current one
      if (opts.out === '' || dir === '') throw new UsageError('the output path is empty; give a file (--out) or a folder')
      if (opts.format === 'mlflow') {
        const out = dir ?? opts.out
        if (!out) throw new UsageError('--format mlflow needs a folder: mldb export --format mlflow DIR')
        // an MLflow store copies the recorded files, which live on the machines that logged them
        if (readTarget(opts).kind === 'server')
          throw new UsageError("--format mlflow reads a database file; give --db PATH (the server's own file on its host)")
        if (existsSync(out) && !statSync(out).isDirectory()) throw new MldbError(`${out} is a file; give a folder for the MLflow store`)
        using db = openForRead(opts.db)
        let r: ReturnType<typeof exportMlflow>
        try {
          r = exportMlflow(db, out, { where: opts.where, project: opts.project })
        } catch (e) {
          // a folder that cannot be written (permissions, a file in the way below it) names the folder, not Node's syscall
          throw fileWriteError(out, e)
        }
        process.stderr.write(
          `exported ${r.runs} run${r.runs === 1 ? '' : 's'} in ${r.experiments} MLflow experiment${r.experiments === 1 ? '' : 's'}, ${r.points} points and ${r.artifacts} artifacts to ${out}\n`,
        )
        return
      }
      if (dir !== undefined) throw new UsageError(`unexpected argument "${dir}"; write to a file with --out`)
      const format = opts.format ?? (opts.out?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl')
      if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format must be csv or jsonl, got "${format}"`)
      using db = openReader(opts)
      const total = await db.countExperiments({ where: opts.where, project: opts.project })
      // to a temporary file renamed at the end, so a failed export leaves no half file
      const tmp = opts.out ? `${opts.out}.${process.pid}.tmp` : undefined
      let fd = 1
      try {
        if (tmp) fd = openSync(tmp, 'w')
      } catch (e) {
        throw fileWriteError(opts.out as string, e)
      }
      const bar = progress('export')
      // Ctrl-C with --out: the loop below stops at its next chunk and removes the temporary file
      let interrupted: NodeJS.Signals | undefined
      const onSignal = (sig: NodeJS.Signals) => {
        interrupted = sig
      }
      if (tmp) for (const sig of SIGNALS) process.on(sig, onSignal)
      let chunkDone = false
      let buffer = ''
      // every byte or an error: a slow reader of stdout is waited for (issue 8 item 1)
      const flush = () => {
        if (fd === 1) writeStdout(buffer)
        else writeAll(fd, buffer)
        buffer = ''
        chunkDone = true
      }
      // a file's records come synchronously: between chunks, let a signal handler run
      const pause = async () => {
        if (!tmp || !chunkDone) return
        chunkDone = false
        await new Promise((resolve) => setImmediate(resolve))
        if (interrupted) throw new Interrupted()
      }
      let experiments = 0
      let points = 0
      let versions = 0
      try {
        bar.start(total)
        if (format === 'csv') buffer += `${CSV_COLUMNS.join(',')}\n`
        const add = (r: ExportRecord) => {
          if (r.record === 'experiment') experiments++
          else if (r.record === 'point') points++
          else if (r.record === 'model_version') versions++
          buffer += `${format === 'csv' ? toCsvRow(r) : toJson(r)}\n`
          if (buffer.length > CHUNK) flush()
        }
        const records = db.exportRecords({ where: opts.where, project: opts.project }, () => bar.tick())
        // a file's records come synchronously, as fast as before; a server's as its stream arrives
        if (Symbol.iterator in records)
          for (const r of records) {
            add(r)
            await pause()
          }
        else
          for await (const r of records) {
            add(r)
            await pause()
          }
        flush()
        await pause()
        bar.stop()
        if (tmp && opts.out) {
          const closing = fd
          fd = 1
          closeSync(closing)
          renameSync(tmp, opts.out)
          // stdout stays pure data; the note goes to stderr, and only with --out
          process.stderr.write(
            `exported ${experiments} experiment${experiments === 1 ? '' : 's'} and ${points} point${points === 1 ? '' : 's'}${versions ? ` (and ${versions} model version${versions === 1 ? '' : 's'})` : ''} to ${opts.out}\n`,
          )
        }
      } catch (e) {
        bar.stop()
        if (tmp) {
          if (fd !== 1) closeSync(fd)
          rmSync(tmp, { force: true })
          if (e instanceof Interrupted) {
            process.stderr.write(`mldb: export stopped by ${interrupted}; ${opts.out} was not written\n`)
            process.exitCode = 130
            return
          }
          throw fileWriteError(opts.out as string, e)
        }
        throw e
      } finally {
        for (const sig of SIGNALS) process.off(sig, onSignal)
      }
    })
}
