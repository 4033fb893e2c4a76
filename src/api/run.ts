import { ValidationError } from '../errors.js'
import type { FileRecord } from '../store/types.js'
import { type AddFileOptions, type BatchPoint, Database } from './database.js'
import { expName } from './exp-name.js'
import type { HistogramInput, ImageInput, TableInput } from './media.js'
import { SystemMetrics } from './system-metrics.js'
import { checkOptions, checkStatus, checkStep, describe, optAny, optBool, optInt, optString } from './validate.js'

/** Anything thrown, as text for the notes; never throws itself (a Symbol, an object whose toString throws). */
function text(value: unknown): string {
  try {
    return String(value)
  } catch {
    return describe(value)
  }
}

/** Options for `db.startRun()`. */
export interface StartRunOptions {
  /** the experiment name; default `expName('run')` */
  name?: string
  project?: string
  params?: Record<string, unknown>
  tags?: Record<string, unknown>
  notes?: string
  /** the first status; default TRAINING */
  status?: string
  /** heartbeat period in ms; default 15,000 (LOST after 60,000 without one) */
  heartbeatMs?: number
  /** mark the run FAILED/KILLED on uncaught errors and SIGINT/SIGTERM; default true */
  handleExit?: boolean
  /** sample CPU, memory, disk, network and GPU (where nvidia-smi is present) into `system/*` series; default false */
  systemMetrics?: boolean
  /** how often system metrics are sampled, in ms; default 10,000 */
  systemMetricsEveryMs?: number
}

/** Runs still open in this process, so a dying process can mark them. */
const openRuns = new Set<Run>()
let hooked = false

function markAll(status: string, note?: string): void {
  for (const run of [...openRuns]) {
    try {
      run.end(status, note)
    } catch {
      // the process is going down; nothing better to do than try the others
    }
  }
}

function hookProcess(): void {
  if (hooked) return
  hooked = true
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    markAll('KILLED', `received ${signal}`)
    process.exit(code)
  }
  process.on('SIGINT', () => onSignal('SIGINT', 130))
  process.on('SIGTERM', () => onSignal('SIGTERM', 143))
  const onCrash = (err: unknown) => {
    markAll('FAILED', err instanceof Error ? (err.stack ?? err.message) : String(err))
    // What Node would have printed had we not listened.
    console.error(err)
    process.exit(1)
  }
  process.on('uncaughtException', onCrash)
  process.on('unhandledRejection', onCrash)
  // A script that ends without finish(): its exit code says how it went.
  process.on('exit', (code) => markAll(code === 0 ? 'COMPLETE' : 'FAILED', code === 0 ? undefined : `process exited with code ${code}`))
}

/**
 * One training run: an experiment plus a heartbeat and automatic status on exit.
 * Made by `db.startRun()`.
 *
 * @example
 * const run = db.startRun({ project: 'iris', params: { lr: 0.01 } })
 * for (let epoch = 0; epoch < 10; epoch++) run.log({ loss: 0.3, acc: 0.9 }, { step: epoch, split: 'train' })
 * run.finish()
 */
export class Run {
  /** the experiment's name */
  readonly name: string
  readonly project: string
  private nextStep = 0
  private ended = false
  private system: SystemMetrics | undefined

  constructor(
    private readonly db: Database,
    options: StartRunOptions = {},
  ) {
    // Checked before anything is written: a run refused here leaves no experiment behind.
    checkOptions('startRun', options, {
      name: optString,
      heartbeatMs: optInt(1),
      handleExit: optBool,
      systemMetrics: optBool,
      systemMetricsEveryMs: optInt(1),
    })
    // Inside `mldb sweep agent` (MLDB_EXP set), a run without a name is the trial's experiment.
    const trial = options.name === undefined ? process.env.MLDB_EXP : undefined
    if (trial) {
      this.name = trial
      this.project = options.project ?? 'default'
      db.joinRun(trial, {
        status: options.status ?? 'TRAINING',
        ...(options.params ? { params: options.params } : {}),
        ...(options.tags ? { tags: options.tags } : {}),
      })
    } else {
      this.project = options.project ?? 'default'
      // Without a name: the seed's `YYYYMMDD_HHMMSS_run`, with `_2`, `_3`... when runs start in the same second.
      this.name = db.createRun(options.name ?? expName('run'), {
        uniqueName: options.name === undefined,
        project: this.project,
        status: options.status ?? 'TRAINING',
        ...(options.params ? { params: options.params } : {}),
        ...(options.tags ? { tags: options.tags } : {}),
        ...(options.notes !== undefined ? { notes: options.notes } : {}),
      })
    }
    // The connection's one timer for this experiment (setExpStatus and a sweep trial's join share it).
    db.keepBeating(this.name, options.heartbeatMs ?? 15_000)
    if (options.systemMetrics) {
      const name = this.name
      this.system = new SystemMetrics((points) => db.logBatch(name, points), options.systemMetricsEveryMs)
    }
    if (options.handleExit ?? true) {
      openRuns.add(this)
      hookProcess()
    }
  }

  /**
   * Logs several values at one step in one transaction. Without `step`, the
   * step after the last one logged by this run.
   *
   * @example run.log({ loss: 0.31, acc: 0.90 }, { step: epoch, split: 'train' })
   */
  log(values: Record<string, number>, options: { step?: number; split?: string } = {}): void {
    checkOptions('run.log', options, { step: optAny, split: optAny })
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new ValidationError(`run.log takes an object such as { loss: 0.3 }, got ${describe(values)}`, 'values')
    }
    const step = options.step === undefined ? this.nextStep : checkStep(options.step)
    const entries = Object.entries(values)
    if (entries.length === 1) {
      // One value: addMetricValue's one-page commit instead of a batch transaction.
      const [name, value] = entries[0] as [string, number]
      this.db.addMetricValue(this.name, name, step, value, options.split === undefined ? {} : { split: options.split })
      if (step >= this.nextStep) this.nextStep = step + 1
      return
    }
    const points: BatchPoint[] = entries.map(([name, value]) => ({
      name,
      value,
      step,
      ...(options.split === undefined ? {} : { split: options.split }),
    }))
    this.db.logBatch(this.name, points)
    if (step >= this.nextStep) this.nextStep = step + 1
  }

  /** Records hyperparameters (once per key). */
  setParams(params: Record<string, unknown>): void {
    this.db.setParams(this.name, params)
  }

  /** Sets tags. */
  setTags(tags: Record<string, unknown>): void {
    this.db.setTags(this.name, tags)
  }

  /** Records a file on disk (model, checkpoint, image, ...). */
  addFile(path: string, options: AddFileOptions = {}): FileRecord {
    return this.db.addFile(this.name, path, options)
  }

  /**
   * Stores an image for a step (default: the step after the last one logged): see `db.logImage`.
   *
   * @example run.logImage('samples', pngBytes, { step: epoch })
   */
  logImage(name: string, image: ImageInput, options: { step?: number } = {}): FileRecord {
    checkOptions('logImage', options, { step: optAny })
    return this.db.logImage(this.name, name, options.step ?? Math.max(0, this.nextStep - 1), image)
  }

  /** Stores a table for a step: see `db.logTable` (which judges `format`: only undefined means json). */
  logTable(name: string, table: TableInput, options: { step?: number; format?: 'json' | 'csv' } = {}): FileRecord {
    checkOptions('logTable', options, { step: optAny, format: optAny })
    return this.db.logTable(
      this.name,
      name,
      options.step ?? Math.max(0, this.nextStep - 1),
      table,
      options.format !== undefined ? { format: options.format } : {},
    )
  }

  /** Stores a histogram for a step: see `db.logHistogram` (which judges `bins`: only undefined means 64). */
  logHistogram(name: string, values: HistogramInput, options: { step?: number; bins?: number } = {}): FileRecord {
    checkOptions('logHistogram', options, { step: optAny, bins: optAny })
    return this.db.logHistogram(
      this.name,
      name,
      options.step ?? Math.max(0, this.nextStep - 1),
      values,
      options.bins !== undefined ? { bins: options.bins } : {},
    )
  }

  /** Sets an intermediate status such as VALIDATING. */
  setStatus(status: string): void {
    this.db.setExpStatus(this.name, status)
  }

  /** Marks the run COMPLETE (or the status given) and stops the heartbeat. */
  finish(status = 'COMPLETE'): void {
    this.end(checkStatus(status))
  }

  /** Marks the run FAILED, keeping the error in the notes. */
  fail(error?: unknown): void {
    this.end('FAILED', error === undefined ? undefined : error instanceof Error ? (error.stack ?? error.message) : text(error))
  }

  /** @internal */
  end(status: string, note?: string): void {
    if (this.ended) return
    this.ended = true
    if (!this.db.isClosed) this.db.stopBeating(this.name)
    this.system?.stop()
    openRuns.delete(this)
    // `using db` closes the database before a crash or exit hook gets here:
    // mark the run through a connection of our own then.
    const db = this.db.isClosed ? new Database({ path: this.db.path }) : this.db
    try {
      if (note) {
        const old = db.getNotes(this.name)
        db.setNotes(this.name, old ? `${old}\n${note}` : note)
      }
      db.setExpStatus(this.name, status)
    } finally {
      if (db !== this.db) db.close()
    }
  }

  [Symbol.dispose](): void {
    this.finish()
  }
}
