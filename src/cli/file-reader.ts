import type { Database, ExperimentDetail } from '../api/database.js'
import type { Direction } from '../api/direction.js'
import { type ExportOptions, exportRecords } from '../api/export.js'
import { fileProblem } from '../api/files.js'
import type { ExportRecord } from '../api/records.js'
import { hasLiveSeries, similarSeries } from '../api/series-lookup.js'
import type { Bucket } from '../store/downsample.js'
import type { ExperimentSummary, FileRecord } from '../store/types.js'
import { openForRead } from './db.js'
import type { BestExperiment, FileProblem, ListQuery, Reader } from './reader.js'

/** The read commands on a database file: the synchronous API, opened read-only. */
export class FileReader implements Reader {
  readonly db: Database

  constructor(dbOption: string | undefined) {
    this.db = openForRead(dbOption)
  }

  async listExperiments(query: ListQuery, limit: number | undefined): Promise<ExperimentSummary[]> {
    return this.db.listExperiments({ ...query, limit })
  }

  async countExperiments(query: ListQuery): Promise<number> {
    return this.db.countExperiments(query)
  }

  async getExperiment(name: string): Promise<ExperimentDetail> {
    return this.db.getExperiment(name)
  }

  fileProblem(f: FileRecord): FileProblem {
    return fileProblem(f) ?? null
  }

  seriesDirection(key: string): Direction {
    return this.db.seriesDirection(key)
  }

  async downsample(name: string, key: string, buckets: number): Promise<Bucket[]> {
    return this.db.downsample(name, key, { buckets })
  }

  async hasSeries(key: string): Promise<boolean> {
    return hasLiveSeries(this.db, key)
  }

  async similarSeries(key: string): Promise<string[]> {
    return similarSeries(this.db, key)
  }

  async bestExperiment(key: string, mode: Direction | undefined, options: { where?: string; project?: string }): Promise<BestExperiment | undefined> {
    return this.db.bestExperiment(key, mode, options)
  }

  async modelFiles(name: string): Promise<FileRecord[]> {
    return this.db.getFiles(name, { kind: 'model' })
  }

  exportRecords(options: ExportOptions, onExperiment: () => void): Iterable<ExportRecord> {
    return exportRecords(this.db, options, onExperiment)
  }

  [Symbol.dispose](): void {
    this.db[Symbol.dispose]()
  }
}
