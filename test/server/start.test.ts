import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MldbError, ValidationError } from '../../src/index.js'
import { startUi, type UiServer } from '../../src/server/start.js'
import { tempDir } from '../helpers/tmp.js'

const servers: UiServer[] = []
const dirs: (() => void)[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
  for (const c of dirs.splice(0)) c()
})

function dbPath(): string {
  const { dir, cleanup } = tempDir('mldb-ui-')
  dirs.push(cleanup)
  return join(dir, 'ui.db')
}

async function start(options: Parameters<typeof startUi>[0]): Promise<UiServer> {
  const s = await startUi(options)
  servers.push(s)
  return s
}

describe('startUi', () => {
  it('serves the API over a real socket on a free port, behind a random token by default', async () => {
    const saved = process.env.MLDB_TOKEN
    delete process.env.MLDB_TOKEN
    try {
      const path = dbPath()
      const ui = await start({ dbPath: path, port: 0 })
      const other = await start({ dbPath: dbPath(), port: 0 })
      expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/)
      expect(ui.urls).toEqual([ui.url])
      expect(ui.token).not.toBe(other.token)
      expect(ui.port).toBeGreaterThan(0)
      expect((await fetch(new URL('/api/health', ui.url))).status).toBe(401)
      const res = await fetch(new URL('/api/health', ui.url), { headers: { authorization: `Bearer ${ui.token}` } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ ok: true, db: path, version: expect.any(Number) })
    } finally {
      if (saved !== undefined) process.env.MLDB_TOKEN = saved
    }
  })

  it('opens the printed URL: cookie for its port, redirect to the clean page', async () => {
    const ui = await start({ dbPath: dbPath(), port: 0, token: 'tok' })
    const first = await fetch(ui.url, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/')
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string
    expect(cookie).toBe(`mldb_token_${ui.port}=tok`)
    expect((await fetch(new URL('/api/health', ui.url), { headers: { cookie } })).status).toBe(200)
  })

  it('serves without a token with noToken, on loopback only', async () => {
    const ui = await start({ dbPath: dbPath(), port: 0, noToken: true })
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(ui.token).toBeUndefined()
    expect((await fetch(new URL('/api/health', ui.url))).status).toBe(200)
    const err = await startUi({ dbPath: dbPath(), port: 0, host: '0.0.0.0', noToken: true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as Error).message).toMatch(/--no-token .*127\.0\.0\.1\/localhost only/)
  })

  it("binds 0.0.0.0 with a token, lists the machine's addresses and checks the token", async () => {
    const ui = await start({ dbPath: dbPath(), port: 0, host: '0.0.0.0', token: 'tok en' })
    expect(ui.url).toMatch(/\?token=tok%20en$/)
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((e) => e?.family === 'IPv4')
      .map((e) => `http://${e?.address}:${ui.port}/?token=tok%20en`)
    expect([...ui.urls].sort()).toEqual(addresses.sort())
    // the ones other machines can reach come first, loopback last
    expect(ui.urls.at(-1)).toMatch(/^http:\/\/127\./)
    expect(ui.url).toBe(ui.urls[0])
    const base = `http://127.0.0.1:${ui.port}`
    expect((await fetch(`${base}/api/health`)).status).toBe(401)
    expect((await fetch(`${base}/api/health`, { headers: { authorization: 'Bearer tok en' } })).status).toBe(200)
  })

  it('says so clearly when the port is in use', async () => {
    const first = await start({ dbPath: dbPath(), port: 0 })
    const err = await startUi({ dbPath: dbPath(), port: first.port }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MldbError)
    expect((err as Error).message).toMatch(new RegExp(`port ${first.port} .*in use.*--port`))
  })

  it('refuses a bad port', async () => {
    await expect(startUi({ dbPath: dbPath(), port: 70_000 })).rejects.toThrow(/port must be an integer/)
  })

  it('ends open event streams on close', async () => {
    const ui = await start({ dbPath: dbPath(), port: 0, noToken: true })
    let text = ''
    let opened!: () => void
    const open = new Promise<void>((resolve) => {
      opened = resolve
    })
    const ended = new Promise<void>((resolve, reject) => {
      const req = request(new URL('/api/events', ui.url), (res) => {
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.includes('event: ready')) opened()
        })
        res.on('close', resolve)
        res.on('error', () => resolve())
      })
      req.on('error', reject)
      req.end()
    })
    await open
    // close() waits for every connection, so it returns only once the stream is ended
    await ui.close()
    await ended
    expect(text).toContain('event: ready')
  })
})

/** Sends a raw HTTP/1.x request (no Host header, or an absolute request line) and returns the status. */
function rawStatus(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`))
    let text = ''
    socket.on('data', (d: Buffer) => {
      text += d.toString()
    })
    socket.on('end', () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0)))
    socket.on('error', reject)
  })
}

describe('without a token, the Host check over a real socket', () => {
  it('refuses a request without a Host header and one whose absolute request line names another host', async () => {
    const ui = await start({ dbPath: dbPath(), port: 0, noToken: true })
    const port = ui.port
    expect(await rawStatus(port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}`)).toBe(200)
    expect(await rawStatus(port, 'GET /api/health HTTP/1.0')).toBe(403)
    expect(await rawStatus(port, `GET http://attacker.example:${port}/api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}`)).toBe(403)
    expect(await rawStatus(port, `GET http://127.0.0.1:${port}/api/health HTTP/1.1\r\nHost: attacker.example`)).toBe(403)
    expect(await rawStatus(port, `GET http://127.0.0.1:${port}/api/health HTTP/1.1\r\nHost: localhost:${port}`)).toBe(200)
  })
})
