import { z } from 'zod'
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
        ...read('points of one series as [step, time, value]', [nameParam, q('series', 'split/name', true), q('after', 'only steps after this')]),
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
