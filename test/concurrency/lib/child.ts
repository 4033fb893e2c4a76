import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, so `--import tsx` resolves from its node_modules. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** A child script under test/concurrency/children, by file name. */
export const childScript = (name: string): string => join(REPO_ROOT, 'test', 'concurrency', 'children', name)

/** A running TypeScript child process with its output collected line by line. */
export interface Child {
  proc: ChildProcessWithoutNullStreams
  /** complete stdout lines so far */
  lines: string[]
  stderr(): string
  /** resolves with the exit code (null) and signal when the process ends */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** resolves once `pred` holds for the lines so far (checked on every new line) */
  waitFor(pred: (lines: string[]) => boolean): Promise<void>
}

/** Starts `node --import tsx <script> ...args` with stdin, stdout and stderr piped. */
export function startChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: 'pipe' })
  const lines: string[] = []
  let partial = ''
  let err = ''
  const waiters: { pred: (l: string[]) => boolean; resolve: () => void }[] = []
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pred(lines)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    }
  }
  proc.stdout.setEncoding('utf8')
  proc.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
    check()
  })
  proc.stderr.setEncoding('utf8')
  proc.stderr.on('data', (chunk: string) => {
    err += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('close', (code, signal) => {
      if (partial) lines.push(partial)
      partial = ''
      // The process is gone: release every waiter; the caller's assertions say what was missing.
      for (const w of waiters.splice(0)) w.resolve()
      resolve({ code, signal })
    })
  })
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitFor(pred) {
      if (pred(lines)) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ pred, resolve }))
    },
  }
}

/** Kills whatever children are still running (afterEach/afterAll cleanup). */
export function killAll(children: Child[]): void {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL')
}
