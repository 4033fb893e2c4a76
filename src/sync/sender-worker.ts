// The sender's worker thread: its own connection to the local file, its own
// event loop, so neither reading the file nor waiting on the network ever runs
// on the thread that logs. background.ts starts it; `shared` carries back, without
// a message (the main thread may be blocked in Atomics.wait), what is pending.
import { parentPort, workerData } from 'node:worker_threads'
import { Sender, type SenderOptions } from './sender.js'

interface Data {
  options: SenderOptions
  /** [done, points pending, writes pending, experiments pending]; -1 = not counted yet */
  shared: Int32Array
}

const { options, shared } = workerData as Data
const sender = new Sender(options)
let draining = false
let wake: (() => void) | undefined

parentPort?.on('message', (m: { type: string }) => {
  if (m.type === 'drain') {
    draining = true
    wake?.()
  }
})

function publish(): void {
  const p = sender.pending()
  Atomics.store(shared, 1, p.points)
  Atomics.store(shared, 2, p.writes)
  Atomics.store(shared, 3, p.experiments.length)
}

async function run(): Promise<void> {
  for (;;) {
    let r: Awaited<ReturnType<Sender['step']>>
    // Read the flag before the round: a drain message can arrive while the round awaits, and only
    // a round that began after it has seen every write the process made, so only its 'idle' ends the drain.
    const drained = draining
    try {
      r = await sender.step(drained)
    } catch (e) {
      // A locked or busy file: try again shortly; the data is in the file either way.
      process.stderr.write(`mldb: the sync sender hit ${(e as Error).message}; retrying\n`)
      r = 'wait'
      sender.nextTryAt = Date.now() + 1000
    }
    if (r === 'more') continue
    if (drained) {
      publish()
      // 'busy': another live sender on this file holds the lease and sends it all.
      if (r === 'idle' || r === 'busy') {
        // Give the lease back before saying done: the main thread may end the process right after.
        sender.close()
        Atomics.store(shared, 0, 1)
        Atomics.notify(shared, 0)
        return
      }
    }
    const ms = r === 'idle' ? 100 : r === 'busy' ? 1000 : Math.max(20, sender.nextTryAt - Date.now())
    await new Promise<void>((res) => {
      wake = res
      setTimeout(res, ms)
    })
  }
}

void run()
