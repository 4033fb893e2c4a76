// 16 processes logging one call per point into one store at once: each opens
// its run, says ready, and starts on "go"; the figure is the points every
// process got an answer for over the time from "go" to the last process's count.
import type { ChildProcess } from 'node:child_process'
import { type Client, kill, lastError, lastJson, type Result, runOne, start } from './clients.js'

export async function runConcurrent(client: Client, python: string, dir: string, procs: number, n: number, maxS: number, timeoutS: number): Promise<Result> {
  // The store exists before the 16 start (made by one reader), as a shared store would:
  // MLflow's SQLite schema migration and Optuna's study creation race otherwise.
  const made = await runOne(client, python, 'count', dir, {}, timeoutS)
  if (made.error) return { error: `making the store: ${made.error}` }
  const children: { child: ChildProcess; out: string; err: string; done: Promise<void>; answeredAt: number }[] = []
  for (let index = 0; index < procs; index++) {
    const child = start(client, python, 'worker', dir, { index, n, max_s: maxS })
    const c = { child, out: '', err: '', done: Promise.resolve(), answeredAt: Number.NaN }
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      c.out += s
      if (s.includes('"points"')) c.answeredAt = performance.now()
    })
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      c.err = (c.err + s).slice(-2000)
    })
    c.done = new Promise((resolve) => child.on('close', () => resolve()))
    children.push(c)
  }
  const timer = setTimeout(() => {
    for (const c of children) kill(c.child)
  }, timeoutS * 1000)
  // everyone ready (or dead) before "go"
  const ready = (c: (typeof children)[number]) =>
    new Promise<void>((resolve) => {
      const check = () => (c.out.includes('"ready"') ? resolve() : undefined)
      c.child.stdout?.on('data', check)
      c.child.on('close', () => resolve())
      check()
    })
  await Promise.all(children.map(ready))
  const t = performance.now()
  for (const c of children) c.child.stdin?.write('go\n')
  await Promise.all(children.map((c) => c.done))
  // until the last process printed its count (after its finish call), not until it exited:
  // interpreter teardown is no logging
  const answered = children.map((c) => c.answeredAt).filter((x) => Number.isFinite(x))
  const seconds = ((answered.length ? Math.max(...answered) : performance.now()) - t) / 1000
  clearTimeout(timer)
  let points = 0
  let errors = 0
  const messages: string[] = []
  for (const c of children) {
    const r = lastJson(c.out)
    if (!r || r.ready) {
      errors++
      messages.push(lastError(c.err) || 'died')
      continue
    }
    points += Number(r.points ?? 0)
    errors += Number(r.errors ?? 0)
    if (r.error) messages.push(String(r.error))
  }
  const counted = await runOne(client, python, 'count', dir, {}, timeoutS)
  const stored = typeof counted.points === 'number' ? counted.points : Number.NaN
  return {
    points_per_s: points / seconds,
    points,
    stored,
    errors,
    lost: Math.max(0, points - stored),
    seconds,
    ...(messages.length ? { first_error: messages[0]?.slice(0, 300) } : {}),
  }
}
