// The two builds some tests run against: the compiled `mldb` package (under
// test-output/, keyed by a hash of its sources, so parallel runs and other
// builds never race on dist/) and the dashboard bundle (web/dist). The vitest
// globalSetup (test/global-setup.ts) builds what a run's files need once,
// before any worker starts; a process outside vitest (a benchmark) builds on
// first use. A build goes to a temp folder that is renamed into place, so a
// reader never sees half a build and no lock is needed.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

/** The package root. */
export const ROOT = resolve(import.meta.dirname, '../..')

// what the compiled CLI is made of: src/ pulls one pure module from the dashboard (the JSON number rule)
const CLI_SOURCES = ['src', 'migrations', join('web', 'src', 'lib', 'json-numbers.ts')]

function cliStamp(): string {
  const h = createHash('sha256')
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false })
    if (!st) return
    if (!st.isDirectory()) {
      h.update(`${p}:${st.size}:${st.mtimeMs}\n`)
      return
    }
    for (const e of readdirSync(p).sort()) walk(join(p, e))
  }
  for (const s of CLI_SOURCES) walk(join(ROOT, s))
  return h.digest('hex').slice(0, 16)
}

// Moves a finished build into place; when another process got there first, its build is kept.
function publish(tmp: string, dest: string): void {
  try {
    renameSync(tmp, dest)
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true })
    if (!existsSync(dest)) throw e
  }
}

/**
 * Compiles the package for the current sources (unless that build exists) and
 * returns the path of its `src/cli/main.js`.
 *
 * @example spawnSync(process.execPath, [compileCli(), '--version'])
 */
export function compileCli(): string {
  const out = join(ROOT, 'test-output', 'cli-build', cliStamp())
  const main = join(out, 'src', 'cli', 'main.js')
  if (existsSync(main)) return main
  const tmp = `${out}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  mkdirSync(dirname(out), { recursive: true })
  // tsc exits non-zero on type errors elsewhere in src/ but still emits; the
  // type check proper is `npm run typecheck`, here we need the JavaScript.
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', tmp], { cwd: ROOT, encoding: 'utf8' })
  if (!existsSync(join(tmp, 'src', 'cli', 'main.js'))) {
    rmSync(tmp, { recursive: true, force: true })
    throw new Error(`build failed:\n${r.stdout}${r.stderr}`)
  }
  publish(tmp, out)
  return main
}

function newest(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false })
  if (!st) return 0
  if (!st.isDirectory()) return st.mtimeMs
  let m = st.mtimeMs
  for (const f of readdirSync(path)) m = Math.max(m, newest(join(path, f)))
  return m
}

/**
 * Builds web/dist when it is missing or older than its sources.
 *
 * @example ensureWebBuilt() // then serve join(ROOT, 'web', 'dist')
 */
export function ensureWebBuilt(): void {
  const dist = join(ROOT, 'web', 'dist')
  const index = join(dist, 'index.html')
  const sources = Math.max(newest(join(ROOT, 'web', 'src')), newest(join(ROOT, 'web', 'index.html')), newest(join(ROOT, 'web', 'vite.config.ts')))
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return
  const tmp = join(ROOT, 'test-output', `web-build.tmp-${process.pid}`)
  rmSync(tmp, { recursive: true, force: true })
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', 'web', '--logLevel', 'warn', '--outDir', tmp, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'inherit',
    // the bundle users get: under vitest NODE_ENV is 'test', and vite then builds React's
    // development bundle (StrictMode runs effects twice), which ui-bench would also measure
    env: { ...process.env, NODE_ENV: 'production' },
  })
  rmSync(dist, { recursive: true, force: true })
  publish(tmp, dist)
}

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g

/**
 * Which builds a set of test files needs: those that import (directly or
 * through other test modules) test/cli/helpers.ts need the CLI, those that
 * import test/browser/helpers.ts the dashboard bundle.
 *
 * @example buildsNeeded(['/repo/test/cli/logging.test.ts']) // { cli: true, web: false }
 */
export function buildsNeeded(files: readonly string[]): { cli: boolean; web: boolean } {
  const cliHelpers = join(ROOT, 'test', 'cli', 'helpers.ts')
  const webHelpers = join(ROOT, 'test', 'browser', 'helpers.ts')
  const seen = new Set<string>()
  const need = { cli: false, web: false }
  const visit = (file: string) => {
    if (seen.has(file) || !file.startsWith(ROOT) || file.includes(`${join(ROOT, 'node_modules')}`)) return
    seen.add(file)
    if (file === cliHelpers) need.cli = true
    if (file === webHelpers) need.web = true
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return
    }
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] as string
      // only test code is followed: src/ never imports the helpers
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
      if (target.startsWith(join(ROOT, 'test')) || target.startsWith(join(ROOT, 'bench'))) visit(target)
    }
  }
  for (const f of files) visit(resolve(f))
  return need
}
