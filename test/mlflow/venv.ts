import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The MLflow release the tests generate stores with and run the client of (also pinned in .ci/run). */
export const MLFLOW_VERSION = '3.17.2'

const ROOT = resolve(import.meta.dirname, '..', '..')

/**
 * The Python of a virtual environment with MLflow from PyPI: `.venv-mlflow`
 * when .ci/run made it, else `test-output/venv-mlflow`, created once here.
 * mlflow-skinny has the client and, with SQLAlchemy and Alembic, the SQL store
 * that writes a real `mlflow.db` (and, with psycopg2, MLflow's store on PostgreSQL).
 */
export function mlflowPython(): string {
  for (const dir of [join(ROOT, '.venv-mlflow'), join(ROOT, 'test-output', 'venv-mlflow')]) {
    const py = join(dir, 'bin', 'python')
    if (existsSync(py) && spawnSync(py, ['-c', `import mlflow, sqlalchemy, alembic, psycopg2; assert mlflow.__version__ == "${MLFLOW_VERSION}"`]).status === 0)
      return py
  }
  const dir = join(ROOT, 'test-output', 'venv-mlflow')
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`)
  }
  run('python3', ['-m', 'venv', dir])
  run(join(dir, 'bin', 'pip'), ['install', '--quiet', `mlflow-skinny==${MLFLOW_VERSION}`, 'sqlalchemy', 'alembic', 'psycopg2-binary'])
  return join(dir, 'bin', 'python')
}

/**
 * Runs a script of test/mlflow/py with MLflow's Python, without blocking this
 * process (it may be serving the script); its last stdout line parsed as JSON.
 */
export function runPy<T = unknown>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const py = mlflowPython()
  return new Promise((resolvePy, reject) => {
    execFile(
      py,
      [join(import.meta.dirname, 'py', script), ...args],
      {
        encoding: 'utf8',
        // telemetry off: its thread edits os.environ while requests reads it (a KeyError in MLflow 3.17's client)
        env: { ...process.env, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', MLFLOW_HTTP_REQUEST_TIMEOUT: '20', MLFLOW_DISABLE_TELEMETRY: 'true', ...env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 240_000,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${script} failed: ${err.message}\n${stderr}\n${stdout}`))
        try {
          resolvePy(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T)
        } catch {
          reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`))
        }
      },
    )
  })
}
