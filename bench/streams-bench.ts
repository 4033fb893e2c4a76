// Live event streams: /api/health's latency with 400 streams open beside the
// same server with none (issue 8 item 9: 400 streams, each polling on its own,
// once pushed it over 5 s). One poller feeds every stream now.
import { request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { Database } from '../src/index.js'
import { createApp } from '../src/server/app.js'
import { tempDir } from '../test/helpers/tmp.js'
import { type Figure, fmt } from './lib/figure.js'

const STREAMS = 400
const SAMPLES = 40

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

async function healthMs(base: string): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now()
    await (await fetch(`${base}/api/health`)).arrayBuffer()
    times.push(performance.now() - t)
    // spread the samples over several poll ticks (500 ms)
    await new Promise((r) => setTimeout(r, 25))
  }
  return median(times)
}

/** Median /api/health time with and without 400 open event streams. */
export async function runStreamsBench(): Promise<Figure[]> {
  const { dir, cleanup } = tempDir('mldb-bench-streams-')
  const db = new Database({ path: join(dir, 'streams.db') })
  for (let i = 0; i < 200; i++) db.setExpStatus(`exp-${i}`, 'TRAINING')
  const app = createApp({ db, maxStreamsPerClient: STREAMS })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const writer = new Database({ path: db.path })
  try {
    const idle = await healthMs(base)
    const streams = await Promise.all(
      Array.from(
        { length: STREAMS },
        () =>
          new Promise<ReturnType<typeof request>>((resolve, reject) => {
            const req = request(`${base}/api/events`, { agent: false }, (res) => res.once('data', () => resolve(req)))
            req.on('error', reject)
            req.end()
          }),
      ),
    )
    // a writer commits every 100 ms, so every tick has changes to fan out
    const timer = setInterval(() => writer.addMetricValue('exp-0', 'loss', Date.now(), Math.random()), 100)
    const busy = await healthMs(base)
    clearInterval(timer)
    for (const s of streams) s.destroy()
    const ratio = busy / idle
    return [
      {
        key: 'health_ms_with_400_streams',
        label: `/api/health with ${STREAMS} open event streams and a writer`,
        value: busy,
        unit: 'ms',
        target: '≤ 5 × none open',
        pass: ratio <= 5,
        baseline: `${fmt(idle, 1)} ms with none open (×${fmt(ratio, 1)})`,
        extra: { health_ms_no_streams: idle, health_ratio_400_streams: ratio },
      },
    ]
  } finally {
    writer.close()
    if ('closeAllConnections' in server) server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
    db.close()
    cleanup()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await runStreamsBench()) console.log(`${f.label}: ${fmt(f.value, 1)} ${f.unit} (${f.baseline})`)
}
