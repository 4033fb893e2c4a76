// `mldb ui` as a user starts it: a token per start, --no-token on loopback,
// and one URL per address of the machine for --host 0.0.0.0.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildCli, ok, tempHome } from './helpers.js'

const t = tempHome()
const children: ChildProcessWithoutNullStreams[] = []
beforeAll(() => {
  buildCli()
  ok(t.home, ['status', 'served', 'COMPLETE', '--db', t.db])
})
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM')
})
afterAll(() => t.cleanup())

/** Starts `mldb ui ...` and resolves with its stdout once it printed "(Ctrl-C stops it)". */
function startUi(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [buildCli(), 'ui', '--port', '0', '--db', t.db, ...args], { env: { PATH: process.env.PATH ?? '', HOME: t.home } })
  children.push(child)
  return new Promise((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString()
      if (text.includes('(Ctrl-C stops it)')) resolve(text)
    })
    child.stderr.on('data', (d: Buffer) => {
      text += d.toString()
    })
    child.on('exit', (code) => reject(new Error(`mldb ui exited with ${code}: ${text}`)))
  })
}

describe('mldb ui', () => {
  it('prints a URL with a new random token each start, and the API needs it', async () => {
    const first = await startUi([])
    const second = await startUi([])
    const [, url, token] = /(http:\/\/127\.0\.0\.1:\d+\/)\?token=([0-9a-f]{48})\b/.exec(first) ?? []
    expect(token).toMatch(/^[0-9a-f]{48}$/)
    expect(second).not.toContain(token as string)
    expect((await fetch(`${url}api/health`)).status).toBe(401)
    expect((await fetch(`${url}api/health`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
  })

  it('--no-token serves loopback without one', async () => {
    const out = await startUi(['--no-token'])
    const url = /http:\/\/127\.0\.0\.1:\d+\/(?=\s)/.exec(out)?.[0]
    expect(out).not.toContain('token=')
    expect((await fetch(`${url}api/health`)).status).toBe(200)
  })

  it('--host 0.0.0.0 prints a URL for every address of the machine, reachable ones first', async () => {
    const out = await startUi(['--host', '0.0.0.0', '--token', 'tok'])
    const urls = out.match(/http:\/\/[\d.]+:\d+\/\?token=tok/g) ?? []
    const port = /:(\d+)\//.exec(urls[0] ?? '')?.[1]
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((e) => e?.family === 'IPv4')
    expect([...urls].sort()).toEqual(addresses.map((e) => `http://${e?.address}:${port}/?token=tok`).sort())
    expect(out).not.toMatch(/0\.0\.0\.0/)
    // loopback last: the first URL is the one to open from another machine when there is one
    if (addresses.some((e) => !e?.internal)) expect(urls[0]).not.toMatch(/127\.0\.0\.1/)
    expect((await fetch(`http://127.0.0.1:${port}/api/health?token=tok`)).status).toBe(200)
  })
})
