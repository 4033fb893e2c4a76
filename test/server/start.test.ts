import { request } from 'node:http'
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
  it('serves the API over a real socket on a free port', async () => {
    const path = dbPath()
    const ui = await start({ dbPath: path, port: 0, token: '' })
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(ui.port).toBeGreaterThan(0)
    const res = await fetch(new URL('/api/health', ui.url))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, db: path, version: 1 })
  })

  it('refuses to bind 0.0.0.0 without a token', async () => {
    const saved = process.env.MLDB_TOKEN
    delete process.env.MLDB_TOKEN
    try {
      const err = await startUi({ dbPath: dbPath(), port: 0, host: '0.0.0.0' }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as Error).message).toBe('binding 0.0.0.0 requires a token: --token or MLDB_TOKEN')
    } finally {
      if (saved !== undefined) process.env.MLDB_TOKEN = saved
    }
  })

  it('binds 0.0.0.0 with a token, prints it in the URL and checks it', async () => {
    const ui = await start({ dbPath: dbPath(), port: 0, host: '0.0.0.0', token: 'tok en' })
    expect(ui.url).toMatch(/\?token=tok%20en$/)
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
    const ui = await start({ dbPath: dbPath(), port: 0 })
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
