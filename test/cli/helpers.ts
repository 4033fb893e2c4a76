// Runs the real `mldb` binary. The package is compiled once per source state into
// test-output/ (its own folder, so parallel test files and other builds never
// race on dist/), guarded by a lock directory that other test workers wait on.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

function sourceStamp(): string {
  const h = createHash('sha256')
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else {
        const st = statSync(p)
        h.update(`${p}:${st.size}:${st.mtimeMs}\n`)
      }
    }
  }
  walk(join(ROOT, 'src'))
  walk(join(ROOT, 'migrations'))
  return h.digest('hex').slice(0, 16)
}

let built: string | undefined

/** Compiles the package (once per source state) and returns the path of the built main.js. */
export function buildCli(): string {
  if (built) return built
  const out = join(ROOT, 'test-output', 'cli-build', sourceStamp())
  const main = join(out, 'src', 'cli', 'main.js')
  const done = join(out, 'done')
  const lock = `${out}.lock`
  mkdirSync(join(ROOT, 'test-output', 'cli-build'), { recursive: true })
  const deadline = Date.now() + 600_000
  while (!existsSync(done)) {
    try {
      mkdirSync(lock)
    } catch {
      // another worker builds; wait for it
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250)
      continue
    }
    try {
      // tsc exits non-zero on type errors elsewhere in src/ but still emits; the
      // type check proper is `npm run typecheck`, here we need the JavaScript.
      const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, encoding: 'utf8' })
      if (!existsSync(main)) throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
      writeFileSync(done, '')
    } finally {
      rmSync(lock, { recursive: true, force: true })
    }
  }
  built = main
  return main
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
