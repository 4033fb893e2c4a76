// The clients `npm run bench:peers` compares, and how one workload runs on
// one of them: a fresh process printing one JSON line (harness.py, mldb-ts.ts).
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))

export interface Client {
  /** column name in the table and key in peers.json */
  id: string
  /** harness.py adapter, or undefined for mldb's TypeScript client */
  adapter?: string
  /** the pip package it needs (skipped when that failed) */
  pkg?: string
  /** what it is, for the README */
  label: string
}

export const CLIENTS: Client[] = [
  { id: 'mldb-ts', label: 'mldb, TypeScript client (Database)' },
  { id: 'mldb-py', adapter: 'mldb_py', label: 'mldb, Python client (python/mldb)' },
  { id: 'mlflow-file', adapter: 'mlflow_file', pkg: 'mlflow-skinny', label: 'MLflow MlflowClient, file store' },
  { id: 'mlflow-sqlite', adapter: 'mlflow_sqlite', pkg: 'mlflow-skinny', label: 'MLflow MlflowClient, SQLite store' },
  { id: 'optuna', adapter: 'optuna_sqlite', pkg: 'optuna', label: 'Optuna RDB storage on SQLite' },
  { id: 'trackio', adapter: 'trackio_local', pkg: 'trackio', label: 'trackio, local' },
  { id: 'aim', adapter: 'aim_local', pkg: 'aim', label: 'Aim, local repo' },
  { id: 'wandb', adapter: 'wandb_offline', pkg: 'wandb', label: 'W&B, offline mode' },
  { id: 'tensorboardX', adapter: 'tensorboardx', pkg: 'tensorboardX', label: 'tensorboardX SummaryWriter' },
]

export type Result = Record<string, unknown> & { error?: string; na?: string }

/** Starts one workload; `python` is the venv's interpreter. */
export function start(client: Client, python: string, workload: string, dir: string, args: object): ChildProcess {
  const [cmd, argv] = client.adapter
    ? [python, [join(HERE, 'harness.py'), client.adapter, workload, dir, JSON.stringify(args)]]
    : [process.execPath, ['--import', 'tsx', join(HERE, 'mldb-ts.ts'), workload, dir, JSON.stringify(args)]]
  return spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, PYTHONUNBUFFERED: '1' } })
}

/** The last JSON object a child printed (libraries print banners of their own). */
export function lastJson(stdout: string): Result | undefined {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'))
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i] as string) as Result
    } catch {}
  }
  return undefined
}

/** Runs one workload to its end (or `timeoutS`), returning its JSON line or an error. */
export function runOne(client: Client, python: string, workload: string, dir: string, args: object, timeoutS: number): Promise<Result> {
  return new Promise((resolve) => {
    const child = start(client, python, workload, dir, args)
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      stdout += c
    })
    child.stderr?.setEncoding('utf8').on('data', (c: string) => {
      stderr = (stderr + c).slice(-4000)
    })
    const timer = setTimeout(() => kill(child), timeoutS * 1000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const res = lastJson(stdout)
      if (res) resolve(res)
      else if (workload === 'kill9' && signal === 'SIGKILL') resolve({ killed: true })
      else resolve({ error: `${workload} exited ${code ?? signal}: ${lastError(stderr)}` })
    })
  })
}

/** The line of a child's stderr that names its error (Node's last line is its version). */
export function lastError(stderr: string): string {
  const lines = stderr.trim().split('\n')
  return (lines.filter((l) => /Error|error:/.test(l)).pop() ?? lines.pop() ?? '').trim().slice(0, 300)
}

/** Kills a child's whole process group (wandb and trackio start helpers of their own). */
export function kill(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL')
  } catch {}
}
