// The public API of mldb, exported by name.

export type { BestFiles } from './api/best-files.js'
export { type AddFileOptions, type BatchPoint, Database, type DatabaseOptions, type ExperimentDetail, type FileCheck } from './api/database.js'
export { configuredDirections, type Direction, type Directions, seriesDirection } from './api/direction.js'
export { configuredDurability, type Durability } from './api/durability.js'
export { expName } from './api/exp-name.js'
export { FILE_KINDS, type FileKind } from './api/files.js'
export { artifactDir, encodePng, type HistogramInput, type ImageInput, type RawImage, type TableInput } from './api/media.js'
export { Run, type StartRunOptions } from './api/run.js'
export { parseNvidiaSmi, SYSTEM_METRICS_EVERY_MS, SYSTEM_SPLIT, SystemMetrics } from './api/system-metrics.js'
export { CONFIG, configFilePath, type DbPathSource, type ResolvedDbPath, resolveDbPath } from './config.js'
export {
  ConfigError,
  CorruptDatabaseError,
  DatabaseBusyError,
  DatabaseError,
  DatabaseIoError,
  DiskFullError,
  FilterSyntaxError,
  MldbError,
  NotFoundError,
  ReadOnlyDatabaseError,
  SchemaVersionError,
  SqliteFailure,
  ValidationError,
} from './errors.js'
export { type TfjsCallbackOptions, type TfjsFitCallback, tfjsCallback } from './integrations/tfjs.js'
export { LOST_AFTER_MS, parseSeriesKey } from './query/filter.js'
export { parseModelRef } from './registry/names.js'
export { ServerUnreachableError } from './registry/server-unreachable.js'
export type { AliasChange, ModelCheck, ModelMetric, ModelState, ModelVersion, RegisteredModel, RegisterModelOptions } from './registry/types.js'
export type { Bucket, DownsampleOptions } from './store/downsample.js'
export type { ListOptions } from './store/experiments.js'
export { latestVersion as schemaVersion } from './store/migrations.js'
export type { Point } from './store/points.js'
export type { ExperimentSummary, FileRecord, Json, SeriesSummary, StatusChange } from './store/types.js'
export type { ParamSpec, PrunerSpec, SweepConfig } from './sweep/config.js'
export { loadSweepFile, parseSweepText } from './sweep/load-config.js'
export { type BestTrial, Sweep, type SweepSummary, Trial, type TrialInfo } from './sweep/sweep.js'
