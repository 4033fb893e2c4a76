import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMlflowServer } from './server.js'
import { mlflowPython, runPy } from './venv.js'

describe("MLflow's validation through the official client against mldb", () => {
  let server: Awaited<ReturnType<typeof startMlflowServer>>
  beforeAll(async () => {
    mlflowPython()
    server = await startMlflowServer()
  }, 600_000)
  afterAll(() => server?.close())

  it('refuses what MLflow refuses writing nothing, keeps negative steps, stores -0.0 as 0, keeps a retried metric once', async () => {
    const out = await runPy<{ run_id: string; messages: Record<string, string>; long_runs: string[] }>('wire_details.py', [], {
      MLFLOW_TRACKING_URI: server.url,
    })
    // each refusal names the value and the field, as MLflow's server words it
    expect(out.messages.batch_negative_timestamp).toMatch(/'metrics\[1\]\.timestamp'/)
    expect(out.messages.negative_timestamp).toMatch(/Timestamp must be a nonnegative long/)
    expect(out.messages.bad_char).toMatch(/Names may only contain alphanumerics/)
    expect(out.messages.path_name).toMatch(/would resolve to 'b'/)
    expect(out.messages.long_key).toMatch(/exceeds the maximum length of 250 characters/)
    expect(out.messages.duplicate_params).toMatch(/Duplicate parameter keys have been submitted: \["d"\]/)
    expect(out.messages.experiment_tag).toMatch(/would resolve to '\/abs'|Names may be treated as files/)
    // and mldb's side agrees: nothing of the refused calls, one 0 (not -0), one retried point
    const db = server.db
    expect(db.getParams('wire')).toEqual({})
    const zero = db.getMetricValues('wire', 'zero').map((p) => p.value)
    expect(zero).toEqual([0])
    expect(Object.is(zero[0], -0)).toBe(false)
    expect(db.getMetricValues('wire', 'acc').map((p) => [p.step, p.value])).toEqual([
      [3, 0.5],
      [3, 0.6],
      [4, Number.NaN],
    ])
    // negative steps as MLflow logged them (log_metric(step=-1) and a batch), in step order
    expect(db.getMetricValues('wire', 'pre').map((p) => [p.step, p.value])).toEqual([
      [-2, 0.4],
      [-1, 0.25],
      [0, 0.5],
    ])
    expect(db.getSeries('wire').map((s) => s.key)).toContain('valid/top-1 acc:é_2.x')
    expect(db.getExpStatus('wire')).toBe('COMPLETE')
    expect(db.getMetricValues('wire', 'm'.repeat(250)).map((p) => p.value)).toEqual([1])
    // the second run of a 250-character name gets its id's first 8 hex digits, nothing cut
    const longName = `a\t${'n'.repeat(248)}`
    expect(db.getExperiment(longName).tags['mlflow.runName']).toBe(longName)
    expect(db.getExperiment(`${longName}-${out.long_runs[1]?.slice(0, 8)}`).tags['mlflow.runName']).toBe(longName)
  }, 300_000)

  it("falls back to one PUT when the client tries a multipart upload, as with MLflow's server over a local store", async () => {
    const out = await runPy<{ run_id: string; sha256: string }>('multipart_upload.py', [], {
      MLFLOW_TRACKING_URI: server.url,
      MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD: 'true',
      MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE: '1024',
      MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE: '1048576',
    })
    const files = server.db.getFiles('big-artifact')
    expect(files.map((f) => [f.meta?.mlflowArtifact, f.size, f.sha256])).toEqual([['ckpt/weights.bin', 3 * 1024 * 1024 + 17, out.sha256]])
  }, 300_000)
})
