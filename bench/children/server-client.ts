// One client of the team server benchmark: creates its experiment, waits for
// "go" on stdin, posts its points in batches and retries each batch with the
// same write id until the server acknowledges it (through a server restart too).
import { randomUUID } from 'node:crypto'

const [base, token, index, total, batch] = process.argv.slice(2) as [string, string, string, string, string]
const client = randomUUID()
const name = `bench-${index}`
let seq = 0
let retries = 0

async function post(path: string, body: Record<string, unknown>): Promise<void> {
  const payload = JSON.stringify({ client, seq: ++seq, ...body })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      const res = await fetch(new URL(path, base), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(30_000),
      })
      if (res.ok) {
        await res.arrayBuffer()
        return
      }
      const text = await res.text()
      if (res.status !== 503) throw new Error(`${path}: ${res.status} ${text}`)
    } catch (e) {
      if ((e as Error).message.startsWith(path)) throw e
      // connection refused or reset: the server is restarting
    }
    if (Date.now() > deadline) throw new Error(`${path}: no answer for 120 s`)
    retries++
    await new Promise((r) => setTimeout(r, 100))
  }
}

await post('/api/experiments', { name })
process.stdout.write('ready\n')
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))
const n = Number(total)
const size = Number(batch)
let errors = 0
for (let start = 0; start < n; start += size) {
  const points = []
  for (let step = start; step < Math.min(n, start + size); step++)
    points.push({ name: 'loss', split: 'train', step, value: 1 / (step + 1), time: 1_700_000_000_000 + step })
  try {
    await post(`/api/experiments/${name}/points`, { points })
  } catch (e) {
    errors++
    process.stderr.write(`${(e as Error).message}\n`)
  }
  if (start === 0) process.stdout.write('first\n')
}
process.stdout.write(`done ${errors} ${retries}\n`)
