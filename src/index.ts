// The public API of mldb, exported by name.

export { type AddFileOptions, type BatchPoint, Database, type DatabaseOptions, type ExperimentDetail, type FileCheck } from './api/database.js'
export { expName } from './api/exp-name.js'
export { FILE_KINDS, type FileKind } from './api/files.js'
export { Run, type StartRunOptions } from './api/run.js'
export { CONFIG, configFilePath, type DbPathSource, type ResolvedDbPath, resolveDbPath } from './config.js'
export { ConfigError, DatabaseError, FilterSyntaxError, MldbError, NotFoundError, SchemaVersionError, ValidationError } from './errors.js'
export { LOST_AFTER_MS, parseSeriesKey } from './query/filter.js'
export type { Bucket, DownsampleOptions } from './store/downsample.js'
export type { ListOptions } from './store/experiments.js'
export { latestVersion as schemaVersion } from './store/migrations.js'
export type { Point } from './store/points.js'
export type { ExperimentSummary, FileRecord, Json, SeriesSummary, StatusChange } from './store/types.js'
