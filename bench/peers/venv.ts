// The peers' Python virtual environment (bench/.venv-peers, git-ignored):
// made on first use, each library pip-installed on its own so one that fails
// to install is skipped and reported instead of stopping the run.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** pip package -> the module its adapters import */
export const PACKAGES: Record<string, string> = {
  'mlflow-skinny': 'mlflow',
  optuna: 'optuna',
  trackio: 'trackio',
  aim: 'aim',
  wandb: 'wandb',
  tensorboardX: 'tensorboardX',
}

export interface Venv {
  python: string
  /** package -> installed version, or why it is missing */
  packages: Record<string, { version?: string; error?: string }>
}

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 })

/** Makes or reuses the venv at `dir`; `install` false only checks what is there. */
export function ensureVenv(dir: string, install: boolean): Venv {
  const python = join(dir, 'bin', 'python')
  if (!existsSync(python)) {
    if (!install) throw new Error(`no virtual environment at ${dir}; run without --no-install`)
    process.stderr.write(`bench:peers: creating ${dir}\n`)
    const made = run('python3', ['-m', 'venv', dir])
    if (made.status !== 0) throw new Error(`python3 -m venv ${dir} failed: ${made.stderr.trim()}`)
  }
  const packages: Venv['packages'] = {}
  for (const [pkg, mod] of Object.entries(PACKAGES)) {
    const version = () => run(python, ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(pkg)}))`])
    let v = version()
    if (v.status !== 0 && install) {
      process.stderr.write(`bench:peers: pip install ${pkg}...\n`)
      const pip = run(python, ['-m', 'pip', 'install', '--quiet', pkg])
      if (pip.status !== 0) {
        packages[pkg] = { error: `pip install failed: ${(pip.stderr.trim().split('\n').pop() ?? '').slice(0, 200)}` }
        continue
      }
      v = version()
    }
    if (v.status !== 0) {
      packages[pkg] = { error: 'not installed' }
      continue
    }
    const imported = run(python, ['-c', `import ${mod}`])
    packages[pkg] =
      imported.status === 0
        ? { version: v.stdout.trim() }
        : { error: `import ${mod} failed: ${(imported.stderr.trim().split('\n').pop() ?? '').slice(0, 200)}` }
  }
  return { python, packages }
}
