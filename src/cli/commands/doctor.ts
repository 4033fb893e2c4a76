import type { Command } from 'commander'
import type { FileCheck } from '../../api/database.js'
import { fileProblem } from '../../api/files.js'
import { deleteOrphanBlocks, integrityProblems, liveFiles, orphanRows, rebuildSeries, seriesCount, seriesMismatches } from '../../api/maintenance.js'
import { openForRead, openForWrite, withDb } from '../db.js'
import { color, out, printJson } from '../output.js'
import { progress } from '../progress.js'

interface DoctorOptions {
  db?: string
  fix?: boolean
  hash?: boolean
  json?: boolean
}

/** `mldb doctor`: what is wrong with the database and the files it points to. */
export function registerDoctor(program: Command): void {
  withDb(program.command('doctor'))
    .description(
      'check the database: integrity, missing or changed files, LOST experiments, orphan rows, series summaries; --fix rebuilds what can be rebuilt without losing data',
    )
    .option('--fix', 'rebuild series summaries and point blocks from the points, drop orphan point blocks')
    .option('--hash', 'also compare the sha256 of files recorded with one (reads every such file)')
    .option('--json', 'print JSON')
    .action((opts: DoctorOptions) => {
      using db = opts.fix ? openForWrite(opts.db) : openForRead(opts.db)
      const integrity = integrityProblems(db)

      const fileRows = liveFiles(db)
      const bar = progress('files')
      bar.start(fileRows.length)
      const files: FileCheck[] = []
      for (const f of fileRows) {
        const problem = fileProblem(f, opts.hash ?? false)
        if (problem) files.push({ ...f, meta: null, problem })
        bar.tick()
      }
      bar.stop()

      const lost = db.listExperiments({ status: 'LOST' }).map((e) => ({ name: e.name, heartbeatAt: e.heartbeatAt }))
      const orphans = orphanRows(db)
      const seriesBar = progress('series')
      seriesBar.start(seriesCount(db))
      let badSeries = seriesMismatches(db, () => seriesBar.tick())
      seriesBar.stop()

      const fixed = { series: 0, orphanBlocks: 0 }
      if (opts.fix) {
        for (const s of badSeries) rebuildSeries(db, s.seriesId)
        fixed.series = badSeries.length
        if (orphans.point_blocks) fixed.orphanBlocks = deleteOrphanBlocks(db)
        if (fixed.orphanBlocks) delete orphans.point_blocks
        badSeries = seriesMismatches(db)
      }
      const ok = integrity.length === 0 && files.length === 0 && Object.keys(orphans).length === 0 && badSeries.length === 0
      if (!ok) process.exitCode = 1
      if (opts.json) {
        printJson({ ok, path: db.path, integrity, files, lost, orphans, series: badSeries, fixed })
        return
      }
      const good = (s: string) => out(`${color.green('ok')}   ${s}`)
      const bad = (s: string) => out(`${color.red('bad')}  ${s}`)
      const warn = (s: string) => out(`${color.yellow('warn')} ${s}`)
      out(color.dim(db.path))
      if (integrity.length === 0) good('integrity check')
      else for (const m of integrity) bad(`integrity: ${m}`)
      if (files.length === 0) good(`${fileRows.length} file${fileRows.length === 1 ? '' : 's'} as recorded`)
      for (const f of files) bad(`${f.problem} file ${f.path} (${f.experiment})`)
      if (lost.length === 0) good('no LOST experiments')
      for (const e of lost) warn(`LOST ${e.name}: active but no heartbeat since ${e.heartbeatAt ? new Date(e.heartbeatAt).toISOString() : 'ever'}`)
      if (Object.keys(orphans).length === 0) good('no orphan rows')
      for (const [table, n] of Object.entries(orphans)) bad(`${n} orphan row${n === 1 ? '' : 's'} in ${table} (not deleted: they may still hold data)`)
      if (fixed.series) out(`${color.green('fixed')} rebuilt ${fixed.series} series summar${fixed.series === 1 ? 'y' : 'ies'} and their point blocks`)
      if (fixed.orphanBlocks) out(`${color.green('fixed')} dropped ${fixed.orphanBlocks} orphan point blocks`)
      if (badSeries.length === 0) good('series summaries agree with their points')
      for (const s of badSeries) bad(`series ${s.series} of ${s.experiment}: ${s.problems.join('; ')}${opts.fix ? '' : ' (mldb doctor --fix rebuilds it)'}`)
    })
}
