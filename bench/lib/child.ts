import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A benchmark child process whose stdout lines are watched. */
export interface BenchChild {
  proc: ChildProcessWithoutNullStreams
  stderr(): string
  /** resolves with the first line for which pred holds, and when it arrived (performance.now()) */
  line(pred: (line: string) => boolean): Promise<{ line: string; at: number } | undefined>
  exited: Promise<number | null>
}

/** Starts `node --import tsx bench/children/<script> ...args`. */
export function startBenchChild(script: string, args: string[]): BenchChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'children', script), ...args], { cwd: ROOT, stdio: 'pipe' })
  const seen: { line: string; at: number }[] = []
  const waiters: { pred: (l: string) => boolean; resolve: (v: { line: string; at: number } | undefined) => void }[] = []
  let partial = ''
  let err = ''
  proc.stdout.setEncoding('utf8')
  proc.stdout.on('data', (chunk: string) => {
    const at = performance.now()
    const parts = (partial + chunk).split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) {
      seen.push({ line, at })
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve({ line, at })
        }
      }
    }
  })
  proc.stderr.setEncoding('utf8')
  proc.stderr.on('data', (c: string) => {
    err += c
  })
  const exited = new Promise<number | null>((resolve) =>
    proc.on('close', (code) => {
      for (const w of waiters.splice(0)) w.resolve(undefined)
      resolve(code)
    }),
  )
  return {
    proc,
    stderr: () => err,
    exited,
    line(pred) {
      const hit = seen.find((s) => pred(s.line))
      if (hit) return Promise.resolve(hit)
      return new Promise((resolve) => waiters.push({ pred, resolve }))
    },
  }
}
