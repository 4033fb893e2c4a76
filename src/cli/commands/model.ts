import type { Command } from 'commander'
import type { Database } from '../../api/database.js'
import { MldbError } from '../../errors.js'
import { pullModel } from '../../registry/pull.js'
import { check } from '../../registry/registry.js'
import { RemoteRegistry } from '../../registry/remote-registry.js'
import type { ModelCheck, ModelVersion } from '../../registry/types.js'
import { resolveSyncTarget } from '../../sync/server-config.js'
import { openForRead, openForWrite, withDb } from '../db.js'
import { UsageError } from '../errors.js'
import { formatBytes, formatNumber, formatParam, relativeTime } from '../format.js'
import { color, out, printJson, printTable } from '../output.js'
import { serverOrFile } from '../read-target.js'

/** The configured team server's registry, or a usage error saying how to configure one. */
function teamServer(what: string): RemoteRegistry {
  const t = resolveSyncTarget({})
  if (!t) throw new UsageError(`${what} needs a team server: set MLDB_SERVER and MLDB_TOKEN (or "server" and "token" in ~/.mldb_config.json)`)
  return new RemoteRegistry(t.server, t.token)
}

/** What the read commands ask of the registry. */
type ModelReader = Pick<Database, 'listModels' | 'getModelVersion' | 'listModelVersions' | 'getModelHistory'> & Disposable

/**
 * The registry the read commands show: with a team server and no --db, the
 * server's (a machine that only pulls models needs no local file); else the file's.
 */
function openModels(dbOption: string | undefined): ModelReader {
  const t = serverOrFile(dbOption)
  if (!t) return openForRead(dbOption)
  const r = new RemoteRegistry(t.server, t.token)
  return {
    listModels: () => r.list(),
    getModelVersion: (ref) => r.get(ref),
    listModelVersions: (name) => (name === undefined ? r.list().flatMap((m) => r.versions(m.name)) : r.versions(name)),
    getModelHistory: (name) => r.history(name),
    [Symbol.dispose]() {},
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

const mark = (state: ModelCheck['state']): string =>
  state === 'missing' ? color.red('MISSING') : state === 'changed' ? color.yellow('CHANGED') : color.green('ok')

/** The series a version was chosen on, shortly: `valid/loss min 0.21 last 0.23`. */
function metricsLine(v: ModelVersion, limit = 3): string {
  return Object.entries(v.metrics)
    .slice(0, limit)
    .map(([k, m]) => `${k} ${formatNumber(m.last)} (min ${formatNumber(m.min)})`)
    .join(', ')
}

function printVersion(v: ModelVersion): void {
  out(`${color.bold(`${v.name}/${v.version}`)}${v.aliases.length ? `  ${color.cyan(v.aliases.map((a) => `@${a}`).join(' '))}` : ''}`)
  out(`path        ${v.path}`)
  out(`sha256      ${v.sha256}`)
  out(`size        ${formatBytes(v.size)}`)
  out(`experiment  ${v.exp}${v.expExists ? '' : color.dim(' (purged; the evidence below was kept)')}`)
  out(`registered  ${new Date(v.registeredAt).toISOString()} by ${v.registeredBy}`)
  if (v.description) out(`description ${v.description}`)
  const params = Object.entries(v.params)
  if (params.length) out(`params      ${params.map(([k, p]) => `${k}=${formatParam(p)}`).join(' ')}`)
  for (const [k, m] of Object.entries(v.metrics))
    out(`metric      ${k}: last ${formatNumber(m.last)}  min ${formatNumber(m.min)}  max ${formatNumber(m.max)}  ${color.dim(`(${m.count} points)`)}`)
}

/** `mldb model ...`: the model registry (named models, versions, aliases). */
export function registerModel(program: Command): void {
  const model = program.command('model').description('the model registry: named models, numbered versions of recorded files, and aliases such as champion')

  withDb(model.command('register'))
    .description("register a recorded file of an experiment as the next version of a model (or the best experiment's model file with --best)")
    .argument('<name>', 'the model name (letters, digits, . _ -)')
    .argument('[experiment]', 'the experiment the file is recorded in (not with --best)')
    .argument('[file]', "the recorded file: a path or a unique path ending; default the experiment's last model file")
    .option('-a, --alias <alias>', 'point an alias at the new version (repeatable)', collect)
    .option('--best <series>', 'take the best experiment of a series, e.g. valid/loss')
    .option('--goal <goal>', "with --best: min or max (default: the series' direction)")
    .option('-w, --where <filter>', 'with --best: only experiments matching a filter')
    .option('-p, --project <name>', 'with --best: only this project')
    .option('-d, --description <text>', 'a note on this version')
    .option('--json', 'print the version as JSON')
    .action(
      (
        name: string,
        exp: string | undefined,
        file: string | undefined,
        opts: { db?: string; alias?: string[]; best?: string; goal?: string; where?: string; project?: string; description?: string; json?: boolean },
      ) => {
        if (opts.best !== undefined && file !== undefined) throw new UsageError('with --best, give at most NAME and FILE (the experiment is the best one)')
        if (opts.best === undefined && exp === undefined) throw new UsageError('give an experiment (mldb model register NAME EXP [FILE]) or --best SERIES')
        if (opts.best === undefined && (opts.where !== undefined || opts.goal !== undefined || opts.project !== undefined))
          throw new UsageError('--where, --goal and --project go with --best')
        if (opts.goal !== undefined && opts.goal !== 'min' && opts.goal !== 'max') throw new UsageError(`--goal must be min or max, got "${opts.goal}"`)
        using db = openForWrite(opts.db)
        const source =
          opts.best === undefined
            ? { exp, file }
            : { best: opts.best, goal: opts.goal as 'min' | 'max' | undefined, where: opts.where, project: opts.project, file: exp }
        const v = db.registerModel(name, { ...source, aliases: opts.alias, description: opts.description })
        if (opts.json) return printJson(v)
        out(
          `registered ${color.bold(`${v.name}/${v.version}`)} from ${v.exp}: ${v.path}${v.aliases.length ? ` (${v.aliases.map((a) => `@${a}`).join(' ')})` : ''}`,
        )
      },
    )

  withDb(model.command('ls'))
    .description('list registered models with their latest version and aliases')
    .option('--json', 'print JSON')
    .action((opts: { db?: string; json?: boolean }) => {
      using db = openModels(opts.db)
      const models = db.listModels()
      if (opts.json) return printJson(models)
      if (models.length === 0) return out(color.dim('no registered models; register one with `mldb model register NAME EXP FILE`'))
      printTable(
        ['name', 'latest', 'versions', 'aliases', 'updated', 'description'],
        models.map((m) => [
          m.name,
          m.latestVersion === null ? '-' : String(m.latestVersion),
          String(m.versionCount),
          Object.entries(m.aliases)
            .map(([a, v]) => `@${a}=${v}`)
            .join(' '),
          relativeTime(m.updatedAt),
          m.description,
        ]),
        ['left', 'right', 'right'],
      )
    })

  withDb(model.command('show'))
    .description('a model with its versions, or one version (NAME@ALIAS, NAME/VERSION) with its evidence')
    .argument('<ref>', 'NAME, NAME@ALIAS or NAME/VERSION')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { db?: string; json?: boolean }) => {
      using db = openModels(opts.db)
      if (ref.includes('@') || ref.includes('/')) {
        const v = db.getModelVersion(ref)
        return opts.json ? printJson(v) : printVersion(v)
      }
      const m = db.listModels().find((x) => x.name === ref)
      const versions = db.listModelVersions(ref) // NotFoundError for an unknown name
      if (opts.json) return printJson({ ...m, versions })
      out(color.bold(ref) + (m?.description ? `  ${m.description}` : ''))
      printTable(
        ['version', 'aliases', 'experiment', 'registered', 'metrics', 'path'],
        versions.map((v) => [
          String(v.version),
          v.aliases.map((a) => `@${a}`).join(' '),
          v.exp + (v.expExists ? '' : ' (purged)'),
          relativeTime(v.registeredAt),
          metricsLine(v),
          v.path,
        ]),
        ['right'],
      )
    })

  withDb(model.command('alias'))
    .description('point an alias at a version (moving it from where it was), or remove it with --delete')
    .argument('<name>', 'the model')
    .argument('<alias>', 'a word such as champion or staging')
    .argument('[version]', 'the version number')
    .option('--delete', 'remove the alias')
    .action((name: string, alias: string, version: string | undefined, opts: { db?: string; delete?: boolean }) => {
      if (opts.delete ? version !== undefined : version === undefined) throw new UsageError('give either VERSION or --delete')
      using db = openForWrite(opts.db)
      if (opts.delete) return db.deleteModelAlias(name, alias)
      if (!/^\d+$/.test(version as string)) throw new UsageError(`VERSION must be a whole number, got "${version}"`)
      db.setModelAlias(name, alias, Number(version))
    })

  withDb(model.command('history'))
    .description("every move of the model's aliases: when, who, from which version to which")
    .argument('<name>', 'the model')
    .option('--json', 'print JSON')
    .action((name: string, opts: { db?: string; json?: boolean }) => {
      using db = openModels(opts.db)
      const history = db.getModelHistory(name)
      if (opts.json) return printJson(history)
      printTable(
        ['time', 'alias', 'from', 'to', 'who'],
        history.map((h) => [
          new Date(h.time).toISOString(),
          `@${h.alias}`,
          h.from === null ? '-' : String(h.from),
          h.to === null ? '(deleted)' : String(h.to),
          h.who,
        ]),
      )
    })

  model
    .command('pull')
    .description("download a version's file from the team server (MLDB_SERVER) into a cache, check its sha256, print its path")
    .argument('<ref>', 'NAME@ALIAS, NAME/VERSION or NAME')
    .option('-o, --out <dir>', 'the folder to write it to (default ~/.mldb/models/NAME/VERSION)')
    .action((ref: string, opts: { out?: string }) => {
      out(pullModel(teamServer('mldb model pull'), ref, opts.out).path)
    })

  withDb(model.command('path'))
    .description(
      "print only the path of a version's file, after checking its sha256 (exit 1 when missing or changed); with a team server, pulls it when this machine lacks it",
    )
    .argument('<ref>', 'NAME@ALIAS, NAME/VERSION or NAME')
    .action((ref: string, opts: { db?: string }) => {
      const server = serverOrFile(opts.db)
      if (server) {
        // The version may come from another machine: its recorded path is there, the bytes are on the server.
        const remote = new RemoteRegistry(server.server, server.token)
        const v = check(remote.get(ref))
        return out(v.state === 'ok' ? v.path : pullModel(remote, ref).path)
      }
      using db = openForRead(opts.db)
      const c = db.verifyModel(ref)
      if (c.state !== 'ok')
        throw new MldbError(
          `${c.name}/${c.version}: ${c.path} ${c.state === 'missing' ? 'is missing' : 'changed since it was registered (sha256 differs)'}; see \`mldb model verify ${c.name}\``,
        )
      out(c.path)
    })

  withDb(model.command('verify'))
    .description('re-hash the files of every version (of a model, or one version): ok, missing or changed; exit 1 if any is not ok')
    .argument('[ref]', 'NAME, NAME@ALIAS or NAME/VERSION (default: every model)')
    .option('--json', 'print JSON')
    .action((ref: string | undefined, opts: { db?: string; json?: boolean }) => {
      using db = openForRead(opts.db)
      const checks = ref === undefined ? db.verifyModels() : ref.includes('@') || ref.includes('/') ? [db.verifyModel(ref)] : db.verifyModels(ref)
      if (opts.json) printJson(checks.map((c) => ({ name: c.name, version: c.version, path: c.path, sha256: c.sha256, state: c.state })))
      else
        printTable(
          ['version', 'state', 'path'],
          checks.map((c) => [`${c.name}/${c.version}`, mark(c.state), c.path]),
        )
      const bad = checks.filter((c) => c.state !== 'ok').length
      if (bad > 0) throw new MldbError(`${bad} of ${checks.length} version${checks.length === 1 ? '' : 's'} missing or changed`)
    })
}
