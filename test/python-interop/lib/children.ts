import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** A child process with its stdout lines and stderr collected. */
export interface Child {
  proc: ChildProcessWithoutNullStreams
  lines: string[]
  stderr: () => string
  exited: Promise<number | null>
  /** resolves when a line equal to `line` has been printed, or the process ended */
  waitForLine(line: string): Promise<void>
}

/** Spawns `command args` with pipes. */
export function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const proc = spawn(command, args, { env, cwd, stdio: 'pipe' })
  const lines: string[] = []
  const waiters: { line: string; resolve: () => void }[] = []
  let err = ''
  proc.stderr.setEncoding('utf8')
  proc.stderr.on('data', (c: string) => {
    err += c
  })
  createInterface({ input: proc.stdout }).on('line', (l) => {
    lines.push(l)
    for (const w of waiters.filter((x) => x.line === l)) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  })
  const exited = new Promise<number | null>((resolve) =>
    proc.on('close', (code) => {
      for (const w of waiters.splice(0)) w.resolve()
      resolve(code)
    }),
  )
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitForLine: (line) => (lines.includes(line) ? Promise.resolve() : new Promise((resolve) => waiters.push({ line, resolve }))),
  }
}

/** Kills the children still running (test cleanup). */
export function killAll(children: Child[]): void {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL')
}
