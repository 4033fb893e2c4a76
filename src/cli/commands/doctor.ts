import type { Command } from 'commander'
import type { Database, FileCheck } from '../../api/database.js'
import { fileProblem } from '../../api/files.js'
import {
  deleteOrphanBlocks,
  inSnapshot,
  integrityProblems,
  liveFiles,
  orphanRows,
  rebuildSeriesIfWrong,
  type SeriesMismatch,
  seriesCount,
  seriesMismatches,
  type VersionProblem,
  versionProblems,
} from '../../api/maintenance.js'
import { SqliteFailure } from '../../errors.js'
import { openForRead, openForWrite, withDb } from '../db.js'
import { relativeTime } from '../format.js'
import { color, out, printJson } from '../output.js'
import { progress } from '../progress.js'

interface DoctorOptions {
  db?: string
  fix?: boolean
  hash?: boolean
  json?: boolean
}

interface Findings {
  integrity: string[]
  fileCount: number
  files: FileCheck[]
  versionCount: number
  models: VersionProblem[]
  lost: { name: string; heartbeatAt: number | null }[]
  orphans: Record<string, number>
  series: SeriesMismatch[]
}

/**
 * Every check, read in one snapshot: while other processes log, a summary and
 * the points it summarises are seen at the same commit, so logging never looks
 * like damage (issue 8 item 7: 10 of 10 `doctor --fix` runs saw some).
 */
function findings(db: Database, hash: boolean): Findings {
  return inSnapshot(db, () => {
    const integrity = integrityProblems(db)
    const fileRows = liveFiles(db)
    const bar = progress('files')
    bar.start(fileRows.length)
    const files: FileCheck[] = []
    for (const f of fileRows) {
      const problem = fileProblem(f, hash)
      if (problem) files.push({ ...f, meta: null, problem })
      bar.tick()
    }
    bar.stop()
    const versionCount = db.listModelVersions().length
    const models = versionProblems(db, fileRows, hash)
    const lost = db.listExperiments({ status: 'LOST' }).map((e) => ({ name: e.name, heartbeatAt: e.heartbeatAt }))
    const orphans = orphanRows(db)
    const seriesBar = progress('series')
    seriesBar.start(seriesCount(db))
    const series = seriesMismatches(db, () => seriesBar.tick())
    seriesBar.stop()
    return { integrity, fileCount: fileRows.length, files, versionCount, models, lost, orphans, series }
  })
}

/** A damaged file as doctor's finding: one line that says what to do, and exit status 1. */
function reportDamage(db: Database, e: SqliteFailure, json: boolean): void {
  process.exitCode = 1
  const cause = (e.cause as Error | undefined)?.message ?? e.message
  const line = `${db.path} is damaged: SQLite says "${cause}" (${e.code}); restore it from a backup, or \`mldb export\` what is still readable and \`mldb import\` it into a new file`
  if (json) {
    printJson({ ok: false, path: db.path, integrity: [line], error: { code: e.code, message: line } })
    return
  }
  out(color.dim(db.path))
  out(`${color.red('bad')}  integrity: ${line}`)
}

/** `mldb doctor`: what is wrong with the database and the files it points to. */
export function registerDoctor(program: Command): void {
  withDb(program.command('doctor'))
    .description(
      'check the database: integrity, missing or changed files (model versions included), LOST experiments, orphan rows, series summaries; --fix rebuilds what can be rebuilt without losing data',
    )
    .option('--fix', 'rebuild series summaries and point blocks from the points, drop orphan point blocks')
    .option('--hash', 'also compare the sha256 of files recorded with one and of every model version (reads every such file)')
    .option('--json', 'print JSON')
    .action((opts: DoctorOptions) => {
      using db = opts.fix ? openForWrite(opts.db) : openForRead(opts.db)
      let f: Findings
      const fixed = { series: 0, orphanBlocks: 0 }
      try {
        f = findings(db, opts.hash ?? false)
        if (opts.fix) {
          // Each is checked again inside its write transaction: only what is still wrong is rebuilt.
          for (const s of f.series) if (rebuildSeriesIfWrong(db, s.seriesId)) fixed.series++
          if (f.orphans.point_blocks) fixed.orphanBlocks = deleteOrphanBlocks(db)
          if (fixed.orphanBlocks) delete f.orphans.point_blocks
          f.series = inSnapshot(db, () => seriesMismatches(db))
        }
      } catch (e) {
        if (!(e instanceof SqliteFailure)) throw e
        reportDamage(db, e, opts.json ?? false)
        return
      }
      const { integrity, files, models, lost, orphans, series: badSeries } = f
      const ok = integrity.length === 0 && files.length === 0 && models.length === 0 && Object.keys(orphans).length === 0 && badSeries.length === 0
      if (!ok) process.exitCode = 1
      if (opts.json) {
        printJson({ ok, path: db.path, integrity, files, models, lost, orphans, series: badSeries, fixed })
        return
      }
      const good = (s: string) => out(`${color.green('ok')}   ${s}`)
      const bad = (s: string) => out(`${color.red('bad')}  ${s}`)
      const warn = (s: string) => out(`${color.yellow('warn')} ${s}`)
      out(color.dim(db.path))
      if (integrity.length === 0) good('integrity check')
      else for (const m of integrity) bad(`integrity: ${m}`)
      if (files.length === 0) good(`${f.fileCount} file${f.fileCount === 1 ? '' : 's'} as recorded`)
      for (const x of files) bad(`${x.problem} file ${x.path} (${x.experiment})`)
      if (f.versionCount > 0 && models.length === 0) good(`${f.versionCount} model version${f.versionCount === 1 ? '' : 's'} as registered`)
      for (const m of models)
        bad(
          `${m.problem} file of model ${m.model} version ${m.version}: ${m.path}${m.problem === 'changed' ? ' (its sha256 differs from the registered one)' : ''}`,
        )
      if (lost.length === 0) good('no LOST experiments')
      // times as everywhere else in the CLI ("3m ago"); --json has the exact ms
      for (const e of lost) warn(`LOST ${e.name}: active, last heartbeat ${e.heartbeatAt === null ? 'never' : relativeTime(e.heartbeatAt)}`)
      if (Object.keys(orphans).length === 0) good('no orphan rows')
      for (const [table, n] of Object.entries(orphans)) bad(`${n} orphan row${n === 1 ? '' : 's'} in ${table} (not deleted: they may still hold data)`)
      if (fixed.series) out(`${color.green('fixed')} rebuilt ${fixed.series} series summar${fixed.series === 1 ? 'y' : 'ies'} and their point blocks`)
      if (fixed.orphanBlocks) out(`${color.green('fixed')} dropped ${fixed.orphanBlocks} orphan point blocks`)
      if (badSeries.length === 0) good('series summaries agree with their points')
      for (const s of badSeries) bad(`series ${s.series} of ${s.experiment}: ${s.problems.join('; ')}${opts.fix ? '' : ' (mldb doctor --fix rebuilds it)'}`)
    })
}
