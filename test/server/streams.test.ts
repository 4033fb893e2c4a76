// Event streams over a real socket: one poller feeds them all, so hundreds of
// open streams leave the server answering, and one client cannot hold more
// than its share. Loopback has a whole /8, so distinct 127.0.0.N source
// addresses stand for distinct clients.
import { type ClientRequest, request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { Database } from '../../src/index.js'
import { startUi, type UiServer } from '../../src/server/start.js'
import { DEFAULT_STREAMS_PER_CLIENT } from '../../src/server/stream-limiter.js'
import { tempDir } from '../helpers/tmp.js'

interface OpenStream {
  status: number
  text: string
  req: ClientRequest
}

let ui: UiServer
let cleanup: () => void
let dbPath: string
const open: OpenStream[] = []

beforeEach(async () => {
  const tmp = tempDir('mldb-streams-')
  cleanup = tmp.cleanup
  dbPath = join(tmp.dir, 'streams.db')
  const db = new Database({ path: dbPath })
  db.setExpStatus('running', 'TRAINING')
  db.close()
  ui = await startUi({ dbPath, port: 0, token: 'tok' })
})

afterEach(async () => {
  for (const s of open.splice(0)) s.req.destroy()
  await ui.close()
  cleanup()
})

/** Opens /api/events from a given loopback source address; resolves once the status (and for 200, `ready`) arrived. */
function openStream(from: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const s = { status: 0, text: '' } as OpenStream
    s.req = request(
      { host: '127.0.0.1', port: ui.port, path: '/api/events', localAddress: from, agent: false, headers: { authorization: 'Bearer tok' } },
      (res) => {
        s.status = res.statusCode ?? 0
        res.on('data', (d: Buffer) => {
          s.text += d.toString()
          if (s.status !== 200 || s.text.includes('event: ready')) resolve(s)
        })
        res.on('end', () => resolve(s))
      },
    )
    s.req.on('error', reject)
    s.req.end()
    open.push(s)
  })
}

async function until(fn: () => boolean, what: string): Promise<void> {
  // the test's own timeout bounds the wait; this only paces the checks
  while (!fn()) await new Promise((r) => setTimeout(r, 50))
  expect(fn(), what).toBe(true)
}

it('keeps answering with 300+ open streams, and every stream gets the change', async () => {
  const perClient = DEFAULT_STREAMS_PER_CLIENT - 1
  const streams: OpenStream[] = []
  for (let client = 0; streams.length < 320; client++) {
    const from = `127.0.1.${client + 1}`
    streams.push(...(await Promise.all(Array.from({ length: perClient }, () => openStream(from)))))
  }
  expect(streams.every((s) => s.status === 200)).toBe(true)

  const health = await fetch(`http://127.0.0.1:${ui.port}/api/health`, { headers: { authorization: 'Bearer tok' } })
  expect(health.status).toBe(200)

  const writer = new Database({ path: dbPath })
  writer.addMetricValue('running', 'acc', 1, 0.5, { split: 'valid' })
  writer.close()
  await until(() => streams.every((s) => /event: changes\ndata: .*"valid\/acc"/.test(s.text)), 'every stream got the change')
})

it('refuses a client past its cap with 429 JSON, and gives the slot back when a stream ends', async () => {
  const mine = await Promise.all(Array.from({ length: DEFAULT_STREAMS_PER_CLIENT }, () => openStream('127.0.2.1')))
  expect(mine.every((s) => s.status === 200)).toBe(true)
  const over = await openStream('127.0.2.1')
  expect(over.status).toBe(429)
  await until(() => over.text.endsWith('}'), 'the error body')
  expect(JSON.parse(over.text)).toMatchObject({ error: { code: 'too_many_requests' } })
  // another client is not affected
  expect((await openStream('127.0.2.2')).status).toBe(200)
  // closing one stream frees its slot
  mine[0]?.req.destroy()
  // (the server learns of the close a moment later: retry until it has)
  let again = await openStream('127.0.2.1')
  while (again.status !== 200) {
    await new Promise((r) => setTimeout(r, 50))
    again = await openStream('127.0.2.1')
  }
  expect(again.status).toBe(200)
})
