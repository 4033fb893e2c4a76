import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import type { Database } from '../../api/database.js'
import { MldbError, ValidationError } from '../../errors.js'
import { parseSeriesKey } from '../../query/filter.js'
import type { SweepView } from '../../store/store.js'
import { trialArgv } from '../../sweep/agent-command.js'
import { loadSweepFile } from '../../sweep/load-config.js'
import { RemoteSweeps } from '../../sweep/remote-sweeps.js'
import type { SweepSummary } from '../../sweep/sweep.js'
import type { SyncTarget } from '../../sync/server-config.js'
import { SyncRows } from '../../sync/sync-rows.js'
import { openForRead, openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { formatNumber, formatParam, relativeTime } from '../format.js'
import { color, colorStatus, out, printJson, printTable } from '../output.js'
import { serverOrFile } from '../read-target.js'
import { checkRunnable } from './sweep-runnable.js'

const HEARTBEAT_MS = 15_000
const PRUNE_POLL_MS = 1_000

function bestText(s: SweepSummary): string {
  return s.best ? `${formatNumber(s.best.value)} (${s.best.exp})` : '-'
}

/** Why an agent got no trial at all, in one stderr line: it is not a failure (exit 0), but a silent 0 trials puzzles. */
function sayWhyNoTrial(s: SweepSummary): void {
  const why =
    s.state === 'STOPPED'
      ? `is stopped (mldb sweep stop); start a new sweep to search on`
      : s.runCap !== null && s.trials >= s.runCap
        ? `has reached its run_cap of ${s.runCap}`
        : s.method === 'grid'
          ? 'has handed out every grid point'
          : 'hands out no more trials'
  process.stderr.write(`mldb: sweep ${s.name} ${why}; no trial was run\n`)
}

/** How one trial's program ended; `spawnError` when it never started. */
interface TrialEnd {
  code: number | null
  signal: string | null
  stopped: boolean
  spawnError?: string
}

/**
 * Ctrl-C (or SIGTERM) during an agent. The first stops the agent once the
 * running trial ends: the terminal sent SIGINT to the program too, and a
 * SIGTERM is passed on to it. A second one kills the program.
 */
class Interrupts {
  signal: NodeJS.Signals | undefined
  child: ChildProcess | undefined
  private readonly onSignal = (sig: NodeJS.Signals) => {
    if (this.signal === undefined) {
      this.signal = sig
      if (sig === 'SIGTERM') this.child?.kill('SIGTERM')
    } else this.child?.kill('SIGKILL')
  }

  constructor() {
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
  }

  [Symbol.dispose](): void {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
  }
}

/** Runs one trial's program and resolves with how it ended. */
function runTrial(argv: string[], env: NodeJS.ProcessEnv, interrupts: Interrupts, onTick: () => boolean): Promise<TrialEnd> {
  return new Promise((resolve) => {
    const [cmd, ...rest] = argv as [string, ...string[]]
    const child = spawn(cmd, rest, { env, stdio: ['ignore', 'inherit', 'inherit'] })
    interrupts.child = child
    let stopped = false
    const tick = setInterval(() => {
      if (!stopped && onTick()) {
        stopped = true
        child.kill('SIGTERM')
      }
    }, PRUNE_POLL_MS)
    const done = (end: TrialEnd) => {
      clearInterval(tick)
      interrupts.child = undefined
      resolve(end)
    }
    // the caller ends the trial first, so it does not stay TRAINING in the sweep
    child.on('error', (e) =>
      done({ code: null, signal: null, stopped, spawnError: `cannot run ${cmd}: ${e.message}; check the program or the command after --` }),
    )
    child.on('exit', (code, signal) => done({ code, signal, stopped }))
  })
}

/** The one line an interrupted agent leaves (exit 130, as a shell reports Ctrl-C). */
function reportInterrupt(interrupts: Interrupts, sweep: string, last: string): void {
  process.stderr.write(`mldb: sweep agent stopped by ${interrupts.signal} after ${last}; \`mldb sweep agent ${sweep}\` goes on with the next trial\n`)
  process.exitCode = 130
}

/** The team server's sweeps when one is configured and no --db names a local file. */
function remoteSweeps(dbOption: string | undefined): RemoteSweeps | undefined {
  const t = serverOrFile(dbOption)
  return t && new RemoteSweeps(t.server, t.token)
}

/** The last value the trial logged to its metric in the local file (the server may not have it yet). */
function lastValue(db: Database, exp: string, metric: string): number | undefined {
  const { name, split } = parseSeriesKey(metric)
  try {
    return db.getMetricValues(exp, name, { split }).at(-1)?.value
  } catch {
    return undefined // the program logged nothing to the metric
  }
}

/**
 * `mldb sweep agent` with a team server: each trial is claimed on the server;
 * its experiment is made in this machine's file under the uuid the server
 * tagged it with, so the sync sender sends the program's logs to that same
 * experiment; heartbeats, the pruner and the trial's end go to the server.
 */
async function remoteAgent(target: SyncTarget, name: string, command: string[], count: number): Promise<void> {
  const remote = new RemoteSweeps(target.server, target.token)
  const { config } = await remote.get(name)
  const probe = trialArgv(config, {}, command)
  if (probe === undefined)
    throw new ValidationError(`sweep "${name}" has no program or command; give one after --, e.g. mldb sweep agent ${name} -- python train.py`, 'command')
  checkRunnable(name, config, command, probe)
  using db = openForWrite(undefined)
  using interrupts = new Interrupts()
  let last = 'no trial'
  const syncRows = new SyncRows(db.sqlite, target.server)
  let done = 0
  while (done < count && !interrupts.signal) {
    const trial = await remote.claim(name)
    if (!trial) break
    done++
    // One transaction: the sender must never see the experiment without its uuid (it would give it another).
    db.transaction(() => {
      db.createRun(trial.exp, {
        project: config.project,
        status: 'TRAINING',
        params: trial.params,
        tags: { 'mldb.sweep': name, 'mldb.trial': String(trial.number) },
      })
      syncRows.addExperiment(db.getExperiment(trial.exp).id, trial.uuid, trial.exp)
    })
    const argv = trialArgv(config, trial.params, command) as string[]
    out(color.dim(`trial ${trial.number} (${trial.exp}, from ${target.server}): ${argv.join(' ')}`))
    const env = { ...process.env, MLDB_SWEEP: name, MLDB_EXP: trial.exp, MLDB_DB_PATH: db.path }
    let lastBeat = Date.now()
    let prune = false
    let asking = false
    const result = await runTrial(argv, env, interrupts, () => {
      if (Date.now() - lastBeat >= HEARTBEAT_MS) {
        lastBeat = Date.now()
        db.heartbeat(trial.exp)
        remote.heartbeat(name, trial.number).catch(() => {}) // a missed beat is made up by the next one
      }
      if (config.earlyTerminate && !asking) {
        asking = true
        remote
          .shouldPrune(name, trial.number)
          .then((p) => {
            prune = p
          })
          .catch(() => {})
          .finally(() => {
            asking = false
          })
      }
      return prune
    })
    const local = db.getExpStatus(trial.exp)
    const status = result.stopped ? 'PRUNED' : result.code === 0 ? 'COMPLETE' : 'FAILED'
    // the server ends a trial COMPLETE, PRUNED or FAILED only: an interrupted one is FAILED with a note saying so
    const why =
      result.spawnError ?? (interrupts.signal ? `interrupted by ${interrupts.signal}` : `the program exited with ${result.signal ?? `code ${result.code}`}`)
    const note = status === 'FAILED' && (local !== 'FAILED' || result.spawnError) ? why : undefined
    const value = status === 'COMPLETE' ? lastValue(db, trial.exp, config.metric.name) : undefined
    if (note) db.setNotes(trial.exp, [db.getNotes(trial.exp), note].filter(Boolean).join('\n'))
    db.setExpStatus(trial.exp, status)
    await remote.end(name, trial.number, { status, ...(value === undefined ? {} : { value }), ...(note ? { note } : {}) })
    if (result.spawnError) throw new MldbError(result.spawnError)
    out(`trial ${trial.number} ${colorStatus(status)} ${config.metric.name} ${formatNumber(value ?? null)}`)
    last = `trial ${trial.number} (${trial.exp}, ${status})`
  }
  if (interrupts.signal) return reportInterrupt(interrupts, name, last)
  const { sweep } = await remote.get(name)
  if (done === 0) sayWhyNoTrial(sweep)
  out(`sweep ${name}: ${sweep.trials} trials, best ${bestText(sweep)}`)
}

/**
 * `mldb sweep create|agent|ls|show|stop`: W&B-style sweeps whose trials are
 * ordinary experiments. The agent runs the sweep's program once per trial with
 * the params as `--key=value` and MLDB_SWEEP, MLDB_EXP in its environment.
 */
export function registerSweep(program: Command): void {
  const sweep = program.command('sweep').description('hyperparameter sweeps (W&B sweep.yaml): create, agent, ls, show, stop')

  withDb(sweep.command('create'))
    .description('create a sweep from a W&B-style sweep.yaml (or .json); prints its name')
    .argument('<file>', 'the sweep config')
    .option('-n, --name <name>', "the sweep's name (default: the config's name, else the file's name)")
    .option('-p, --project <name>', "the trials' project (default: the config's project, else default)")
    .action((file: string, opts: { db?: string; name?: string; project?: string }) => {
      // named as a user would fix it, not as Node's ENOENT / EISDIR
      if (file === '') throw new UsageError('the sweep file is empty; give the path of your sweep.yaml')
      if (!existsSync(file)) throw new MldbError(`no sweep file ${file}; give the path of your sweep.yaml`)
      if (statSync(file).isDirectory()) throw new MldbError(`${file} is a folder; give the path of your sweep.yaml`)
      const raw = loadSweepFile(file)
      // `--name ""` (an unset variable) is refused, not replaced by the file's name
      for (const [flag, v] of [
        ['--name', opts.name],
        ['--project', opts.project],
      ] as const)
        if (v === '') throw new UsageError(`${flag} is empty; give one, or leave ${flag} out to use the config's`)
      if (opts.name !== undefined) raw.name = opts.name
      else if (raw.name === undefined) raw.name = file.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '')
      if (opts.project !== undefined) raw.project = opts.project
      const server = serverOrFile(opts.db)
      // With a team server (and no --db) the sweep lives there: agents on every machine claim its trials from it.
      if (server) return void new RemoteSweeps(server.server, server.token).create(raw).then((v) => out(v.config.name))
      using db = openForWrite(opts.db)
      // the API's message points at getSweep(); a CLI user reruns the agent or picks --name
      if (typeof raw.name === 'string' && db.listSweeps().some((s) => s.name === raw.name))
        throw new ValidationError(
          `a sweep named "${raw.name}" already exists; run more of its trials with \`mldb sweep agent ${raw.name}\`, or give another name with --name`,
          'name',
        )
      const s = db.createSweep(raw)
      out(s.name)
    })

  withDb(sweep.command('agent'))
    .description('run trials of a sweep until it ends (or --count): the program once per trial, params as --key=value')
    .argument('<name>', 'the sweep')
    .argument('[command...]', "the command to run (after --); default: the config's command or program")
    .option('-c, --count <n>', 'at most this many trials')
    .action(async (name: string, command: string[], opts: { db?: string; count?: string }) => {
      const count = opts.count === undefined ? Number.POSITIVE_INFINITY : Number(opts.count)
      if (!(count >= 1) || !Number.isInteger(count === Number.POSITIVE_INFINITY ? 1 : count))
        throw new UsageError(`--count must be a whole number >= 1, got ${opts.count}`)
      // --db names a local file's sweep; else, with a team server, the sweep is the server's.
      const server = serverOrFile(opts.db)
      if (server) return remoteAgent(server, name, command, count)
      using db = openForWrite(opts.db)
      const s = db.getSweep(name)
      const probe = trialArgv(s.config, {}, command)
      if (probe === undefined)
        throw new ValidationError(`sweep "${name}" has no program or command; give one after --, e.g. mldb sweep agent ${name} -- python train.py`, 'command')
      checkRunnable(name, s.config, command, probe)
      using interrupts = new Interrupts()
      let last = 'no trial'
      let done = 0
      while (done < count && !interrupts.signal) {
        const trial = s.ask()
        if (!trial) break
        done++
        const argv = trialArgv(s.config, trial.params, command) as string[]
        out(color.dim(`trial ${trial.number} (${trial.exp}): ${argv.join(' ')}`))
        const env = { ...process.env, MLDB_SWEEP: s.name, MLDB_EXP: trial.exp, MLDB_DB_PATH: db.path }
        let lastBeat = Date.now()
        const result = await runTrial(argv, env, interrupts, () => {
          // The program may not beat (a script without startRun): the agent keeps the trial alive.
          if (Date.now() - lastBeat >= HEARTBEAT_MS) {
            lastBeat = Date.now()
            db.heartbeat(trial.exp)
          }
          return trial.shouldPrune()
        })
        const status = db.getExpStatus(trial.exp)
        if (result.spawnError) {
          trial.fail(result.spawnError)
          throw new MldbError(result.spawnError)
        }
        if (result.stopped) trial.prune()
        else if (result.code === 0) trial.finish()
        else if (status === 'FAILED' || status === 'KILLED') trial.ended = true
        else if (interrupts.signal) {
          // the user stopped it: KILLED, as a run ended by Ctrl-C is marked
          trial.ended = true
          s.end(trial, 'KILLED', undefined, `interrupted by ${interrupts.signal}`)
        } else trial.fail(`the program exited with ${result.signal ?? `code ${result.code}`}`)
        const info = s.trials().find((t) => t.number === trial.number)
        out(`trial ${trial.number} ${colorStatus(info?.status ?? status)} ${s.config.metric.name} ${formatNumber(info?.value ?? null)}`)
        last = `trial ${trial.number} (${trial.exp}, ${info?.status ?? status})`
      }
      if (interrupts.signal) return reportInterrupt(interrupts, s.name, last)
      const summary = s.summary()
      if (done === 0) sayWhyNoTrial(summary)
      out(`sweep ${s.name}: ${summary.trials} trials, best ${bestText(summary)}`)
    })

  withDb(sweep.command('ls'))
    .description('the sweeps with their counts and best value')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const remote = remoteSweeps(opts.db)
      let all: SweepSummary[]
      if (remote) all = await remote.list()
      else {
        using db = openForRead(opts.db)
        all = db.listSweeps()
      }
      if (opts.json) return printJson(all)
      if (all.length === 0) return out(color.dim('no sweeps yet; create one with `mldb sweep create sweep.yaml`'))
      printTable(
        ['name', 'project', 'method', 'metric', 'state', 'trials', 'running', 'pruned', 'best', 'created'],
        all.map((s) => [
          s.name,
          s.project,
          s.method,
          `${s.metric.name} (${s.metric.goal === 'minimize' ? 'min' : 'max'})`,
          s.state,
          `${s.trials}${s.runCap === null ? '' : `/${s.runCap}`}`,
          String(s.running),
          String(s.pruned),
          bestText(s),
          relativeTime(s.createdAt),
        ]),
      )
    })

  withDb(sweep.command('show'))
    .description('one sweep: its trials, the best so far and how many were pruned')
    .argument('<name>', 'the sweep')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { db?: string; json?: boolean }) => {
      const remote = remoteSweeps(opts.db)
      let view: SweepView
      if (remote) view = await remote.get(name)
      else {
        using db = openForRead(opts.db)
        const local = db.getSweep(name)
        view = { sweep: local.summary(), config: local.config, trials: local.trials() }
      }
      const { sweep: summary, config, trials } = view
      const s = { name: config.name, project: config.project, config }
      if (opts.json) return printJson({ ...summary, config: s.config, trials })
      out(`${color.bold(s.name)}  ${summary.state}  ${color.dim(`project ${s.project}, ${s.config.method}, ${s.config.metric.goal} ${s.config.metric.name}`)}`)
      out(
        `${summary.trials} trials${summary.runCap === null ? '' : ` of ${summary.runCap}`}: ${summary.complete} complete, ${summary.running} running, ${summary.pruned} pruned, ${summary.failed} failed`,
      )
      out(
        `best: ${bestText(summary)}${
          summary.best
            ? `  ${Object.entries(summary.best.params)
                .map(([k, v]) => `${k}=${formatParam(v)}`)
                .join(' ')}`
            : ''
        }`,
      )
      const keys = Object.keys(trials[0]?.params ?? {})
      printTable(
        ['#', 'experiment', 'status', s.config.metric.name, 'step', ...keys],
        trials.map((t) => [
          String(t.number),
          t.exp,
          colorStatus(t.status),
          formatNumber(t.value),
          t.step === null ? '' : String(t.step),
          ...keys.map((k) => formatParam(t.params[k])),
        ]),
        ['right', 'left', 'left', 'right', 'right'],
      )
    })

  withDb(sweep.command('stop'))
    .description('stop handing out trials (running ones go on)')
    .argument('<name>', 'the sweep')
    .action(async (name: string, opts: { db?: string }) => {
      const remote = remoteSweeps(opts.db)
      if (remote) await remote.stop(name)
      else {
        using db = openForWrite(opts.db)
        db.getSweep(name).stop()
      }
      out(`sweep ${name} stopped`)
    })
}
