import type { Json } from '../store/types.js'

/** The summary of one series of the experiment when a version was registered. */
export interface ModelMetric {
  name: string
  split: string
  count: number
  lastStep: number | null
  last: number
  min: number
  max: number
}

/**
 * One registered version of a model and the evidence it was chosen on, as
 * recorded at registration (kept even after its experiment is purged).
 *
 * @example db.getModelVersion('iris-mlp@champion').path
 */
export interface ModelVersion {
  name: string
  version: number
  /** the aliases pointing at this version now */
  aliases: string[]
  path: string
  sha256: string
  size: number
  /** the experiment's name at registration */
  exp: string
  /** false once the experiment was purged (the copy below stays) */
  expExists: boolean
  /** the file record it points to; null once the experiment was purged */
  fileId: number | null
  params: Record<string, Json>
  /** series summaries keyed by `split/name` (or `name`) */
  metrics: Record<string, ModelMetric>
  description: string
  registeredAt: number
  /** user@host */
  registeredBy: string
}

/**
 * A registered model: a name with versions and aliases.
 *
 * @example db.listModels().map((m) => `${m.name} v${m.latestVersion}`)
 */
export interface RegisteredModel {
  name: string
  description: string
  tags: Record<string, string>
  /** the highest version that exists, null when none */
  latestVersion: number | null
  versionCount: number
  /** alias → version */
  aliases: Record<string, number>
  createdAt: number
  updatedAt: number
}

/**
 * One move of an alias: `from` null when it was first set, `to` null when deleted.
 *
 * @example db.getModelHistory('iris-mlp') // [{ alias: 'champion', from: null, to: 1, ... }]
 */
export interface AliasChange {
  alias: string
  from: number | null
  to: number | null
  time: number
  /** user@host */
  who: string
}

/** What verifying a version found: the file as registered, gone, or different. */
export type ModelState = 'ok' | 'missing' | 'changed'

/**
 * A version with the result of re-hashing its file.
 *
 * @example db.verifyModel('iris-mlp@champion').state // 'ok'
 */
export interface ModelCheck extends ModelVersion {
  state: ModelState
}

/**
 * Options of `registerModel`: either an experiment (`exp`) and its file, or the
 * best experiment of a series (`best`), whose model file is taken.
 *
 * @example db.registerModel('iris-mlp', { exp, file: 'model.json', aliases: ['staging'] })
 * @example db.registerModel('iris-mlp', { best: 'valid/loss', goal: 'min', where: "status = 'COMPLETE'" })
 */
export interface RegisterModelOptions {
  /** the experiment the file is recorded in */
  exp?: string
  /** the recorded file: its path (absolute, relative to the working folder, or a unique path ending), or its record id; defaults to the experiment's last `model` file */
  file?: string | number
  /** the series whose best experiment to take instead of `exp`, e.g. 'valid/loss' */
  best?: string
  /** with `best`: lower ('min') or higher ('max') is better; by default the series' direction (loss-like min, accuracy-like max) */
  goal?: 'min' | 'max'
  /** with `best`: only experiments matching this filter */
  where?: string
  /** with `best`: only experiments of this project */
  project?: string
  /** aliases to point at the new version */
  aliases?: string[]
  /** a note on this version (and on the model when it is new) */
  description?: string
  /** tags of the model (merged into existing ones) */
  tags?: Record<string, string>
}

/** What a version keeps of its experiment, gathered where the file is (this machine, or a remote client). */
export interface VersionEvidence {
  /** the experiment's name */
  exp: string
  /** the file's path on the machine that registered it */
  path: string
  sha256: string
  size: number
  params: Record<string, Json>
  metrics: ModelMetric[]
}

/**
 * A registration as a client sends it to the team server (POST
 * /api/models/{name}/versions): the evidence, the aliases to point, and who.
 */
export interface RemoteRegistration {
  name: string
  evidence: VersionEvidence
  aliases: string[]
  description: string
  /** tags of the model (merged); absent: left as they are */
  tags?: Record<string, string>
  /** user@host */
  by: string
}
