import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the CLI and the dashboard are built once per run, for the files that need them
    globalSetup: ['test/global-setup.ts'],
    // Tests spawn real processes and a real browser; two cores are shared.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
})
