import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A running `mldb server` child process. */
export interface MldbServer {
  /** e.g. http://127.0.0.1:5757/ */
  url: string
  proc: ChildProcessWithoutNullStreams
  /** signals the server (SIGTERM: it closes its store and exits) and waits for it to exit */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** Options for `startMldbServer`. */
export interface MldbServerOptions {
  /** `mldb server`'s arguments after `server` (--db, --port, --token, ...) */
  args: string[]
  /** a compiled CLI (e.g. test-output's main.js); default: src/cli/main.ts through tsx */
  cli?: string | undefined
  env?: NodeJS.ProcessEnv | undefined
}

/**
 * Starts `mldb server` and resolves once it prints its URL and is listening.
 * `MLDB_BENCH_SERVER_NODE_ARGS` adds node flags to the server alone, to profile
 * it under a benchmark's load without the clients, e.g.
 * `MLDB_BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/server-bench.ts`
 * (a SIGTERM stop writes the profile).
 *
 * @example const s = await startMldbServer({ args: ['--db', file, '--port', '0', '--token', 't'] })
 */
export function startMldbServer(options: MldbServerOptions): Promise<MldbServer> {
  const nodeArgs = (process.env.MLDB_BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)
  const entry = options.cli ? [options.cli] : ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')]
  const proc = spawn(process.execPath, [...nodeArgs, ...entry, 'server', ...options.args], {
    cwd: ROOT,
    stdio: 'pipe',
    env: options.env ?? process.env,
  })
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()))
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (d: Buffer) => {
      text += d.toString()
      const m = text.match(/mldb server on (http:\/\/\S+?\/)/)
      if (m && text.includes('Ctrl-C stops it'))
        resolve({
          url: m[1] as string,
          proc,
          stop: async (signal = 'SIGTERM') => {
            proc.kill(signal)
            await exited
          },
        })
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    proc.on('close', (code) => reject(new Error(`mldb server exited ${code}: ${text}`)))
  })
}
