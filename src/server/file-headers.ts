import { basename, extname } from 'node:path'

/** Types a browser may render inline; everything else is a download. */
const INLINE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
}

/**
 * The headers a served file goes out with, by its recorded name: a picture inline
 * (an SVG sandboxed, since it can carry scripts), anything else a download under
 * its own file name.
 *
 * @example fileHeaders('/runs/a/model.pt', 1024)['content-disposition'] // 'attachment; filename="model.pt"'
 */
export function fileHeaders(path: string, size: number): Record<string, string> {
  const type = INLINE_TYPES[extname(path).toLowerCase()]
  const headers: Record<string, string> = {
    'content-type': type ?? 'application/octet-stream',
    'content-length': String(size),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  }
  if (type === 'image/svg+xml') headers['content-security-policy'] = 'sandbox'
  if (!type) headers['content-disposition'] = `attachment; filename="${basename(path).replace(/[^\w.-]/g, '_')}"`
  return headers
}
