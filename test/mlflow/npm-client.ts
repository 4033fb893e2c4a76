import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

/** The npm `mlflow` client's only release (the package the issue names; unmaintained upstream). */
export const NPM_MLFLOW_VERSION = '2.0.7'

const DIR = join(resolve(import.meta.dirname, '..', '..'), 'test-output', 'npm-mlflow')

type Call = (args?: Record<string, unknown>) => Promise<unknown>

/** What the tests call of the npm client (its own typings are CommonJS, loaded at run time). */
export interface NpmMlflow {
  Experiments: { create: Call; list: Call }
  Runs: { create: Call; get: Call; logParameter: Call; logMetric: Call; logBatch: Call; update: Call; search: Call }
  Metrics: { getHistory: Call }
}

/**
 * The npm `mlflow` client, installed once into test-output/npm-mlflow (as
 * venv.ts makes MLflow's Python), not into mldb's own dependencies: it is a
 * test fixture of a client users have, with an unmaintained dependency tree.
 */
export function npmMlflow(endpoint: string): NpmMlflow {
  const pkg = join(DIR, 'node_modules', 'mlflow', 'package.json')
  const installed = existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version === NPM_MLFLOW_VERSION
  if (!installed) {
    mkdirSync(DIR, { recursive: true })
    writeFileSync(join(DIR, 'package.json'), '{ "private": true }\n')
    const r = spawnSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', `mlflow@${NPM_MLFLOW_VERSION}`], { cwd: DIR, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`npm install mlflow@${NPM_MLFLOW_VERSION} failed:\n${r.stdout}\n${r.stderr}`)
  }
  const MLflow = createRequire(join(DIR, 'package.json'))('mlflow') as new (o: { endpoint: string }) => NpmMlflow
  return new MLflow({ endpoint })
}
