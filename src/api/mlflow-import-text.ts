/**
 * What an MLflow import does with text mldb cannot keep (MLflow's stores can hold a U+0000
 * or a lone surrogate; validate-text.ts): it is left out, or in a name replaced, with one
 * report line each, so the rest imports (docs/mlflow.md).
 */
import type { MlflowSourceExperiment, MlflowSourceLoggedModel, MlflowSourceRun } from './mlflow-import-write.js'
import { textProblem, textProblemAt } from './validate-text.js'

const q = JSON.stringify

/**
 * Leaves out of a run a param, tag, metric name, the run name (the run is then named by
 * its id) or notes holding such text, with one report line each.
 */
export function leaveOutBadRunText(r: MlflowSourceRun, report: string[]): void {
  const at = `run ${r.runId}`
  const nameProblem = textProblem(r.runName)
  if (nameProblem) {
    report.push(`${at}: run name ${q(r.runName)} left out (the experiment is named by the run id): it ${nameProblem}`)
    r.runName = ''
  }
  const b = r.bundle
  for (const [k, v] of Object.entries(b.params)) {
    const found = textProblemAt([k, v])
    if (!found) continue
    report.push(`${at}: param ${q(k)} left out: it ${found.problem}`)
    delete b.params[k]
  }
  leaveOutBadPairs(b.tags, `${at}: tag`, report)
  const badSeries = new Map<string, string>()
  for (const p of b.points) {
    if (badSeries.has(p.name)) continue
    const problem = textProblem(p.name)
    if (problem) badSeries.set(p.name, problem)
  }
  if (badSeries.size) {
    for (const [name, problem] of badSeries) report.push(`${at}: metric ${q(name)} left out: its name ${problem}`)
    b.points = b.points.filter((p) => !badSeries.has(p.name))
  }
  const notesProblem = textProblem(b.notes)
  if (notesProblem) {
    report.push(`${at}: notes (mlflow.note.content) left out: they ${notesProblem.replace(/^contains/, 'contain')}`)
    b.notes = ''
  }
}

/** Deletes from a text map each pair whose key or value holds such text, with a line `<what> "k" left out: …`. */
function leaveOutBadPairs(pairs: Record<string, string>, what: string, report: string[]): void {
  for (const [k, v] of Object.entries(pairs)) {
    const problem = textProblem(k) ?? textProblem(v)
    if (!problem) continue
    report.push(`${what} ${q(k)} left out: it ${problem}`)
    delete pairs[k]
  }
}

/**
 * Leaves out of a logged model a param or tag (name or value) holding such text; MLflow's
 * SQL store takes a NUL in either, its file store in a value.
 */
export function leaveOutBadModelText(m: MlflowSourceLoggedModel, report: string[]): void {
  const at = `logged model ${m.modelId} (${q(m.name)})`
  leaveOutBadPairs(m.params, `${at}: param`, report)
  leaveOutBadPairs(m.tags, `${at}: tag`, report)
}

// What a project name may not hold besides a NUL: control characters other than a tab
// (checkProjectName), which MLflow's experiment names can hold as well.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f]/g
const LONE_SURROGATES = /\p{Cs}/gu

/**
 * The mldb project name of each MLflow experiment, by MLflow experiment id. A name mldb
 * refuses (a U+0000, a lone surrogate, a newline) cannot be left out as a run name is, so
 * its runs import under the name with those characters replaced (a space; U+FFFD for a
 * surrogate) and a line says so, as run names are cleaned (mldbRunName). When that name is
 * another experiment's of the source, it gets `-<MLflow id>`; when nothing is left,
 * `mlflow-experiment-<MLflow id>`. Only the source decides it, so a second import finds
 * the same projects.
 */
export function mlflowProjectNames(experiments: MlflowSourceExperiment[], report: string[]): Map<string, string> {
  const own = (e: MlflowSourceExperiment) => (e.name === 'Default' && e.id === '0' ? 'default' : e.name)
  const names = new Map<string, string>()
  const bad: MlflowSourceExperiment[] = []
  for (const e of experiments) {
    CONTROL_BUT_TAB.lastIndex = 0
    if (textProblem(e.name) || CONTROL_BUT_TAB.test(e.name)) bad.push(e)
    else names.set(e.id, own(e))
  }
  const used = new Set(names.values())
  for (const e of bad) {
    let name = e.name.replace(LONE_SURROGATES, '\uFFFD').replace(CONTROL_BUT_TAB, ' ').trim() || `mlflow-experiment-${e.id}`
    if (used.has(name)) name = `${name}-${e.id}`
    used.add(name)
    names.set(e.id, name)
    report.push(`experiment ${q(e.name)}: imported as project ${q(name)}: its name ${textProblem(e.name) ?? 'contains control characters'}`)
  }
  return names
}
