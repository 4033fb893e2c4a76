import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, normalize, sep } from 'node:path'
import type { Context, Handler } from 'hono'
import { migrationsDir } from '../store/migrations.js'
import { errorResponse } from './errors.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * The built dashboard, `web/dist` at the package root. The root is found the
 * way the migrations are (it holds `migrations/`), which works from `src/`
 * under tsx and from `dist/src/` once installed.
 */
export function defaultWebRoot(): string {
  return join(dirname(migrationsDir()), 'web', 'dist')
}

/** A regular file inside root for a URL path, or undefined (never a path outside root). */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const full = join(root, normalize(`/${decoded}`))
  if (!full.startsWith(root + sep)) return undefined
  try {
    return statSync(full).isFile() ? full : undefined
  } catch {
    return undefined
  }
}

function send(c: Context, file: string, immutable: boolean): Response {
  return c.body(readFileSync(file), 200, {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    // Vite fingerprints assets/; index.html must be re-read to pick up a new build.
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
}

/**
 * Serves the built web app with a single-page-app fallback: a path that is not
 * a file gets index.html, so /experiments/x can be reloaded and shared.
 * Missing asset files (a path with an extension, not asking for HTML) stay 404.
 */
export function staticHandler(webRoot: string): Handler {
  const root = normalize(webRoot).replace(/[\\/]+$/, '')
  return (c) => {
    const index = join(root, 'index.html')
    if (!existsSync(index)) {
      return errorResponse(c, 503, 'not_built', `the dashboard is not built (${index} is missing); run \`npm run build\` in the mldb folder, then reload`)
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)
    const path = new URL(c.req.url).pathname
    const file = path === '/' ? index : fileFor(root, path)
    if (file) return send(c, file, path.startsWith('/assets/'))
    const wantsHtml = (c.req.header('accept') ?? '').includes('text/html')
    if (extname(path) && !wantsHtml) return errorResponse(c, 404, 'not_found', `no file ${path} in the dashboard build`)
    return send(c, index, false)
  }
}
