// Builds what the run's test files need, once, before any worker starts: the
// `mldb` CLI for files that use test/cli/helpers.ts, the dashboard bundle for
// the browser tests. A run of files that need neither builds nothing.
import type { TestProject } from 'vitest/node'
import { buildsNeeded, compileCli, ensureWebBuilt } from './helpers/builds.js'

/** vitest globalSetup: see vitest.config.ts. */
export default function setup(project: TestProject): void {
  const need = buildsNeeded(project.vitest.state.getPaths())
  project.provide('mldbCli', need.cli ? compileCli() : undefined)
  if (need.web) ensureWebBuilt()
}
