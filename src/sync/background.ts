import { Worker } from 'node:worker_threads'
import { leftLine, Sender, type SenderOptions } from './sender.js'

/** A running background sender. */
export interface SyncHandle {
  /**
   * Waits at most `waitMs` for the sender to send everything, then stops it and,
   * when something is left, prints one line saying what and the command that sends it.
   */
  close(waitMs: number): void
}

const warn = (line: string) => process.stderr.write(`${line}\n`)

/**
 * Starts the sender for a local file: in a worker thread (its own connection and
 * event loop, so a logging call never waits for it, even in a loop that never
 * yields), or on this thread's timers when running from TypeScript sources
 * (tests, tsx), where a worker cannot load the module. `close(waitMs)` is
 * synchronous in the worker case: the calling thread sleeps in Atomics.wait
 * while the worker finishes.
 *
 * @example const h = startSync({ path: 'runs.db', server: 'http://srv:5757/', token }); h.close(5000)
 */
export function startSync(options: SenderOptions): SyncHandle {
  const fromSource = import.meta.url.endsWith('.ts')
  // From sources, a worker can load TypeScript only through the tsx loader the process runs with (it inherits execArgv).
  if (fromSource && !process.execArgv.some((a) => a.includes('tsx'))) return inThread(options)
  const url = new URL(fromSource ? './sender-worker.ts' : './sender-worker.js', import.meta.url)
  const shared = new Int32Array(new SharedArrayBuffer(16))
  shared.fill(-1, 1)
  // tsx registers its loader on the main thread only: a worker registers its own before loading the module.
  const workerData = { options: { ...options, warn: undefined }, shared }
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`, { eval: true, workerData })
    : new Worker(url, { workerData })
  worker.unref()
  worker.on('error', (e) => {
    // close() must not wait for a sender that is gone
    Atomics.store(shared, 0, 2)
    Atomics.notify(shared, 0)
    warn(`mldb: the sync sender stopped (${e.message}); what is logged stays in ${options.path}: run \`mldb sync\``)
  })
  let closed = false
  return {
    close(waitMs) {
      if (closed) return
      closed = true
      worker.postMessage({ type: 'drain' })
      Atomics.wait(shared, 0, 0, waitMs)
      const state = Atomics.load(shared, 0)
      if (state === 0) {
        const points = Math.max(0, Atomics.load(shared, 1))
        const writes = Math.max(0, Atomics.load(shared, 2))
        const experiments = Math.max(0, Atomics.load(shared, 3))
        const counted = Atomics.load(shared, 1) >= 0
        warn(
          counted
            ? leftLine(
                options.server,
                { points, writes, refused: 0, experiments: Array.from({ length: experiments }, () => ({ name: '', points: 0, writes: 0 })) },
                options.path,
              )
            : `mldb: some writes are not yet on ${options.server}; they are kept in ${options.path}: run \`mldb sync --db ${options.path}\` to send them`,
        )
      }
      void worker.terminate()
    },
  }
}

function inThread(options: SenderOptions): SyncHandle {
  const sender = new Sender(options)
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  const loop = () => {
    running = sender
      .step()
      .catch(() => 'wait' as const)
      .then((r) => {
        if (stopped) return
        const ms = r === 'more' ? 0 : r === 'idle' ? 200 : Math.max(20, sender.nextTryAt - Date.now())
        timer = setTimeout(loop, ms)
        timer.unref()
      })
  }
  loop()
  return {
    close(waitMs) {
      if (stopped) return
      stopped = true
      if (timer) clearTimeout(timer)
      // This thread cannot sleep while it sends: the process stays alive until drained or waitMs passed.
      void running.then(async () => {
        const p = await sender.drain(waitMs)
        if (p.points || p.writes) warn(leftLine(options.server, p, options.path))
        sender.close()
      })
    },
  }
}
