// One client of the team server benchmark: creates its experiment, waits for
// "go" on stdin, posts its points in batches and retries each batch with the
// same write id until the server acknowledges it (through a server restart too).
// node:http with a keep-alive agent, not fetch: on the benchmark's machine the
// 16 clients share the cores with the server, and fetch cost each client 5.8 ms
// of CPU per batch against 1.8 ms here (the server's own is ~3 ms), so with
// fetch the figure measured the clients more than the server.
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'

const [base, token, index, total, batch] = process.argv.slice(2) as [string, string, string, string, string]
const client = randomUUID()
const name = `bench-${index}`
let seq = 0
let retries = 0
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
const url = new URL(base)

/** One POST; rejects on a socket error or after 30 s without an answer. */
function send(path: string, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => {
          text += d
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error('no answer for 30 s')))
    req.on('error', reject)
    req.end(payload)
  })
}

async function post(path: string, body: Record<string, unknown>): Promise<void> {
  const payload = JSON.stringify({ client, seq: ++seq, ...body })
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      const res = await send(path, payload)
      if (res.status >= 200 && res.status < 300) return
      if (res.status !== 503) throw new Error(`${path}: ${res.status} ${res.text}`)
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
