import { execFileSync } from 'node:child_process'

/** One step of a blocking exchange with the server: a JSON request, or a file's bytes PUT, or a download to a file. */
export type HttpStep =
  | { method: string; path: string; json?: unknown }
  | { method: 'PUT'; path: string; upload: string }
  | { method: 'GET'; path: string; download: string }

/** How a step ended: the HTTP status and JSON body, or `status: 0` and why nothing answered. */
export interface HttpAnswer {
  status: number
  json: Record<string, unknown>
  error?: string
}

// Run by a child `node`: fetch is asynchronous, and the registry's API is synchronous
// like the rest of Database. Registry calls are rare (not per logged value), so a
// process per call (~50 ms) is cheaper than keeping a worker thread alive for them.
const CHILD = `
const fs = require('node:fs'); const { Readable } = require('node:stream')
let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', async () => {
  const { server, token, timeoutMs, steps } = JSON.parse(input)
  const out = []
  for (const s of steps) {
    const headers = token ? { authorization: 'Bearer ' + token } : {}
    const init = { method: s.method, headers, signal: AbortSignal.timeout(timeoutMs) }
    if (s.json !== undefined) { headers['content-type'] = 'application/json'; init.body = JSON.stringify(s.json) }
    if (s.upload) { headers['content-type'] = 'application/octet-stream'; headers['content-length'] = String(fs.statSync(s.upload).size); init.body = Readable.toWeb(fs.createReadStream(s.upload)); init.duplex = 'half' }
    try {
      const res = await fetch(new URL(s.path, server), init)
      if (s.download && res.ok) {
        await fs.promises.writeFile(s.download, Readable.fromWeb(res.body))
        out.push({ status: res.status, json: {} })
        continue
      }
      const text = await res.text()
      let json = {}; try { json = JSON.parse(text) } catch {}
      out.push({ status: res.status, json })
      if (!res.ok) break
    } catch (e) {
      const c = e.cause || {}
      out.push({ status: 0, json: {}, error: e.name === 'TimeoutError' ? 'no answer within ' + timeoutMs / 1000 + ' s' : (c.code || (c.errors && c.errors[0] && c.errors[0].code) || c.message || e.message) })
      break
    }
  }
  process.stdout.write(JSON.stringify(out))
})`

/**
 * Runs the steps in order against the server and waits for them (blocking
 * this thread); stops at the first answer that is not 2xx. Never throws for
 * an HTTP or network failure: the caller reads the answers.
 *
 * @example blockingHttp('http://srv:5757/', token, [{ method: 'GET', path: '/api/models' }])[0].json
 */
export function blockingHttp(server: string, token: string | undefined, steps: HttpStep[], timeoutMs = 30_000): HttpAnswer[] {
  const input = JSON.stringify({ server, token, timeoutMs, steps })
  const text = execFileSync(process.execPath, ['-e', CHILD], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs * (steps.length + 1),
  })
  return JSON.parse(text) as HttpAnswer[]
}
