// Runs the real `mldb` binary, compiled into test-output/ once per run by the
// vitest globalSetup (test/global-setup.ts), which hands its path to every worker.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { compileCli } from '../helpers/builds.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** the built `mldb` main.js for this run (test/global-setup.ts) */
    mldbCli: string | undefined
  }
}

let built: string | undefined

// outside a vitest worker (a benchmark) there is nothing injected: inject throws
function fromSetup(): string | undefined {
  try {
    return inject('mldbCli')
  } catch {
    return undefined
  }
}

/** The path of the built main.js: the one this run's globalSetup compiled, else compiled now. */
export function buildCli(): string {
  built ??= fromSetup() ?? compileCli()
  return built
}

/** The result of one `mldb` run. */
export interface RunResult {
  status: number
  stdout: string
  stderr: string
}

/** A temp HOME with a database path in it; remove with `cleanup()`. */
export function tempHome(): { home: string; db: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'mldb-cli-'))
  return { home, db: join(home, 'test.db'), cleanup: () => rmSync(home, { recursive: true, force: true }) }
}

/** Runs `mldb args...` with HOME set to `home` and no inherited MLDB_DB_PATH or colour settings. */
export function mldb(home: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}): RunResult {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, ...options.env }
  const r = spawnSync(process.execPath, [buildCli(), ...args], { env, encoding: 'utf8', input: options.input ?? '', timeout: 120_000 })
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** Runs `mldb` and fails the test with its stderr when it does not exit 0. */
export function ok(home: string, args: string[], options: { env?: Record<string, string> } = {}): string {
  const r = mldb(home, args, options)
  if (r.status !== 0) throw new Error(`mldb ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return r.stdout
}
