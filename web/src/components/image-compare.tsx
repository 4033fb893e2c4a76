// The same image across the selected runs (issue 16): one row per image name
// (mask-step#.png), a picture per run, and one step slider for the row, so runs
// are compared at the same step. A run shows its latest picture at or before the step.
import { useEffect, useMemo, useState } from 'react'
import { api, type ExperimentSummary, type FileEntry } from '../lib/api'
import { runColor } from '../lib/colors'
import { fileHref, unservedReason } from '../lib/file-links'
import { imageName, isImage } from '../lib/images'
import { StepSlider } from './step-slider'

/** Runs whose files are fetched: each is one request, and more pictures than this do not fit a row. */
export const MAX_IMAGE_RUNS = 12

type ByRun = Map<string, FileEntry[]>

/** The image rows of the compare page; nothing when no selected run recorded an image. */
export function ImageCompare({ exps }: { exps: readonly ExperimentSummary[] }) {
  const names = exps.slice(0, MAX_IMAGE_RUNS).map((e) => e.name)
  const key = names.join('\n')
  const [files, setFiles] = useState<Map<string, FileEntry[]> | undefined>()
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded when the set of runs changes
  useEffect(() => {
    let cancelled = false
    Promise.all(
      names.map((n) =>
        api.experiment(n).then(
          (d): [string, FileEntry[]] => [n, d.files.filter(isImage)],
          (): [string, FileEntry[]] => [n, []],
        ),
      ),
    ).then((got) => {
      if (!cancelled) setFiles(new Map(got))
    })
    return () => {
      cancelled = true
    }
  }, [key])
  // image name → run → its files of that name, by step
  const rows = useMemo(() => {
    const out = new Map<string, ByRun>()
    for (const [run, list] of files ?? []) {
      for (const f of list) {
        const k = imageName(f.path)
        let byRun = out.get(k)
        if (!byRun) {
          byRun = new Map()
          out.set(k, byRun)
        }
        byRun.set(
          run,
          [...(byRun.get(run) ?? []), f].sort((a, b) => (a.step ?? NO_STEP) - (b.step ?? NO_STEP)),
        )
      }
    }
    return [...out].sort(([a], [b]) => a.localeCompare(b))
  }, [files])
  if (rows.length === 0) return null
  return (
    <div className="card" data-testid="image-compare">
      <div className="card-head">
        <h2>Images across runs</h2>
        {exps.length > MAX_IMAGE_RUNS && (
          <span className="muted small">
            the first {MAX_IMAGE_RUNS} of {exps.length} runs
          </span>
        )}
      </div>
      {rows.map(([name, byRun]) => (
        <ImageRow key={name} name={name} runs={names} byRun={byRun} />
      ))}
    </div>
  )
}

/** A file with no step sorts before every step (steps may be negative: MLflow logs step -1). */
const NO_STEP = Number.NEGATIVE_INFINITY

function ImageRow({ name, runs, byRun }: { name: string; runs: string[]; byRun: ByRun }) {
  const steps = useMemo(() => [...new Set([...byRun.values()].flat().map((f) => f.step ?? NO_STEP))].sort((a, b) => a - b), [byRun])
  const [i, setI] = useState(steps.length - 1)
  const at = Math.min(i, steps.length - 1)
  const step = steps[at] as number
  return (
    <div className="image-compare-row" data-testid="image-compare-row" data-image={name}>
      <div className="row image-compare-head">
        <span className="mono small">{name}</span>
        {steps.length > 1 && (
          <StepSlider
            count={steps.length}
            at={at}
            step={step === NO_STEP ? null : step}
            label={`step of ${name} in every run`}
            testId="compare-image-step"
            onChange={setI}
          />
        )}
      </div>
      <div className="previews">
        {runs.map((run, r) => {
          // the run's latest picture at or before the step
          const f = [...(byRun.get(run) ?? [])].reverse().find((x) => (x.step ?? NO_STEP) <= step)
          return (
            <figure key={run} className="preview" data-testid="compare-image" data-run={run} data-step={f?.step ?? ''}>
              {!f ? (
                <div className="preview-missing">{byRun.has(run) ? 'none yet' : 'no such image'}</div>
              ) : fileHref(f) === undefined ? (
                <div className="preview-missing">{unservedReason(f)}</div>
              ) : (
                <a href={fileHref(f)} target="_blank" rel="noreferrer">
                  <img src={fileHref(f)} alt={`${run}: ${f.path}`} loading="lazy" />
                </a>
              )}
              <figcaption className="small mono" title={f?.path ?? run}>
                <i className="swatch" style={{ background: runColor(r) }} />
                {run}
                {f && f.step !== null ? ` · step ${f.step}` : ''}
              </figcaption>
            </figure>
          )
        })}
      </div>
    </div>
  )
}
