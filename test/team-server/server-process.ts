import { type ChildProcess, spawn } from 'node:child_process'
import { buildCli } from '../cli/helpers.js'

/** A running `mldb server` process and how to reach it. */
export interface ServerProcess {
  base: string
  token: string
  child: ChildProcess
}

/** Starts `mldb server --db DB --token TOKEN --port 0` and resolves once it serves. */
export function startServerProcess(home: string, db: string, artifacts: string, token = 'team-token'): Promise<ServerProcess> {
  const child = spawn(process.execPath, [buildCli(), 'server', '--port', '0', '--db', db, '--token', token, '--artifacts', artifacts], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
  })
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (d: Buffer) => {
      text += d.toString()
      const m = text.match(/mldb server on (http:\/\/\S+?\/)/)
      if (m && text.includes('Ctrl-C stops it')) resolve({ base: m[1] as string, token, child })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`mldb server exited ${code}: ${text}`)))
  })
}

/** Runs `mldb args...` as its own process (a machine of its own: its HOME), resolving with its exit and output. */
export function mldbAsync(home: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [buildCli(), ...args], { env: { PATH: process.env.PATH ?? '', HOME: home, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  return new Promise((resolve) => child.on('exit', (status) => resolve({ status, stdout, stderr })))
}
