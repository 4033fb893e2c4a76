import { z } from 'zod'
import { aliasBody, registerBody } from './routes/registry-write.js'
import { claimBody, createSweepBody, endBody } from './routes/sweeps-write.js'
import { createExperimentBody, fileBody, notesBody, paramsBody, pointsBody, statusBody, tagsBody } from './routes/write-schemas.js'

const body = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } },
})
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } })
const errors = {
  '400': ok('a body or parameter is malformed; error.message names the field'),
  '401': ok('no token, or a wrong or revoked one'),
  '403': ok('a read-only token tried to write'),
  '404': ok('no such experiment'),
  '413': ok('the body is over the limit'),
  '503': ok('the database is unreachable for now; retry the same write (same client and seq)'),
}
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } }
const write = (summary: string, schema: z.ZodType) => ({
  post: {
    summary,
    parameters: [nameParam],
    requestBody: body(schema),
    responses: { '200': ok('{ ok, duplicate }: duplicate when this client/seq was applied before'), ...errors },
  },
})
const read = (summary: string, parameters: unknown[] = []) => ({ get: { summary, parameters, responses: { '200': ok(summary), ...errors } } })
const q = (name: string, description: string, required = false) => ({ name, in: 'query', required, description, schema: { type: 'string' } })

/**
 * The OpenAPI 3.1 document of `mldb server`'s JSON API, served at
 * /api/openapi.json. Request bodies are generated from the zod schemas the
 * server validates with, so the two cannot disagree.
 *
 * @example const doc = openApiDocument(); doc.paths['/api/experiments/{name}/points']
 */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'mldb server',
      version: '1',
      description:
        'Statuses, params, metrics and files of training runs. Every request needs a token (Authorization: Bearer ...). ' +
        'Every write carries client (a uuid) and seq; a retried write is applied once. NaN and ±Infinity travel as the strings "NaN", "Infinity", "-Infinity".',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/health': read('the backend, database and schema version'),
      '/api/projects': read('projects with their experiment counts'),
      '/api/experiments': {
        ...read('experiments with params, tags and series summaries', [
          q('where', 'a filter, e.g. params.lr < 0.1 and metrics.valid/loss < 0.3'),
          q('orderBy', 'e.g. metrics.valid/loss desc'),
          q('project', 'only this project'),
          q('status', 'only this status (LOST included)'),
          q('limit', 'default 10000'),
          q('offset', 'default 0'),
        ]),
        post: {
          summary: 'create an experiment (left as is when it exists)',
          requestBody: body(createExperimentBody),
          responses: { '201': ok('created'), '200': ok('a retry'), ...errors },
        },
      },
      '/api/experiments/{name}': read('one experiment with its status history and files (stored: the server holds the bytes)', [nameParam]),
      '/api/experiments/{name}/series': read('its series summaries', [nameParam]),
      '/api/experiments/{name}/points': {
        ...read('points of one series as [step, time, value]', [
          nameParam,
          q('series', 'split/name', true),
          q('after', 'only steps after this (any integer step, negative ones included); omitted: from the first step'),
        ]),
        ...write('log a batch of points (up to 100,000)', pointsBody),
      },
      '/api/experiments/{name}/downsample': read('min/max/last per bucket', [
        nameParam,
        q('series', 'split/name', true),
        q('buckets', 'default 1000'),
        q('from', ''),
        q('to', ''),
      ]),
      '/api/experiments/{name}/status': write('set the status', statusBody),
      '/api/experiments/{name}/params': write('record params (once per key)', paramsBody),
      '/api/experiments/{name}/tags': write('set tags', tagsBody),
      '/api/experiments/{name}/notes': write('replace the notes', notesBody),
      '/api/experiments/{name}/files': write('record a file; upload its bytes to /api/artifacts/{sha256}', fileBody),
      '/api/downsample': read('one chart panel: the downsampled series of many experiments (lines as columns; missing pairs listed)', [
        q('exp', 'an experiment (repeat for more)', true),
        q('series', 'split/name (repeat for more)', true),
        q('buckets', 'default 600'),
        q('from', ''),
        q('to', ''),
        q('bands', 'min/max columns, default 1'),
        q('times', 'wall-time column, default 1'),
        q('digits', 'significant digits of values'),
      ]),
      '/api/changes': read('experiments changed since a time (ms), and names moved to the trash', [q('since', 'ms', true)]),
      '/api/series-names': read('every live series key (mldb --server URL best)'),
      '/api/best': read('the best experiments by a series (mldb --server URL best)', [q('series', 'split/name', true)]),
      '/api/export': read('experiments with their series as JSON lines, streamed; the last line is {"record":"end"} (mldb --server URL export)'),
      '/api/models': read('registered models with their latest version and aliases'),
      '/api/models/{name}': read("one model's versions and alias history", [nameParam]),
      '/api/models/{name}/versions': {
        post: {
          summary: "register a version (its file's bytes first uploaded to /api/artifacts/{sha256}); a retry returns the same version",
          parameters: [nameParam],
          requestBody: body(registerBody),
          responses: { '200': ok('{ version }'), ...errors },
        },
      },
      '/api/models/{name}/versions/{ref}': read('one version: a number, an alias, or latest', [
        nameParam,
        { name: 'ref', in: 'path', required: true, schema: { type: 'string' } },
      ]),
      '/api/models/{name}/aliases': write('point an alias at a version (null removes it), recorded in the history', aliasBody),
      '/api/experiments/{name}/models': read("the versions registered from an experiment's files", [nameParam]),
      '/api/sweeps': {
        ...read('sweeps with their counts and best values'),
        post: { summary: 'create a sweep from a W&B-style config', requestBody: body(createSweepBody), responses: { '200': ok('{ sweep }'), ...errors } },
      },
      '/api/sweeps/{name}': read('one sweep with its config and trials', [nameParam]),
      '/api/sweeps/{name}/claim': write(
        'claim the next trial (one transaction: two machines never get the same one); a retry returns the same trial',
        claimBody,
      ),
      '/api/sweeps/{name}/trials/{number}/end': {
        post: {
          summary: 'end a trial: COMPLETE, PRUNED or FAILED',
          parameters: [nameParam, { name: 'number', in: 'path', required: true, schema: { type: 'integer' } }],
          requestBody: body(endBody),
          responses: { '200': ok('{ ok, duplicate }'), ...errors },
        },
      },
      '/api/artifacts/{sha256}': {
        put: {
          summary: "upload a file's bytes, named by their sha256 (kept once however often uploaded)",
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          responses: { '201': ok('stored'), '200': ok('already stored'), ...errors },
        },
        get: {
          summary: 'download the bytes (streamed)',
          parameters: [{ name: 'sha256', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the bytes', content: { 'application/octet-stream': {} } }, ...errors },
        },
      },
    },
  }
}
