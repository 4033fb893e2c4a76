// The vitest globalSetup builds what a run's files need, once, and hands the CLI
// build to the workers (test/global-setup.ts, test/helpers/builds.ts).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { buildCli } from '../cli/helpers.js'
import { buildsNeeded, ROOT } from './builds.js'

const t = (p: string) => join(ROOT, 'test', p)

describe('buildsNeeded', () => {
  it('asks for the CLI for files that use test/cli/helpers.ts, directly or through another helper', () => {
    expect(buildsNeeded([t('cli/logging.test.ts')])).toEqual({ cli: true, web: false })
    expect(buildsNeeded([t('sync/outage.test.ts')])).toEqual({ cli: true, web: false })
  })

  it('asks for the dashboard bundle for the browser tests', () => {
    expect(buildsNeeded([t('browser/dashboard.test.ts')]).web).toBe(true)
  })

  it('asks for nothing for files that need neither', () => {
    expect(buildsNeeded([t('golden/json-numbers.test.ts'), t('server/series.test.ts')])).toEqual({ cli: false, web: false })
  })
})

describe('the globalSetup', () => {
  it('compiled the CLI before this file ran and gave every worker its path', () => {
    const main = inject('mldbCli')
    expect(main).toMatch(/test-output\/cli-build\/[0-9a-f]{16}\/src\/cli\/main\.js$/)
    expect(existsSync(main as string)).toBe(true)
    expect(buildCli()).toBe(main)
  })
})
