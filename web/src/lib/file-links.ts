// Where the dashboard fetches a recorded file. `mldb ui` serves it at /api/files/{id}
// from the recorded path; a team server (`mldb server`) links the artifact store's
// copy, /api/artifacts/{sha256}, which is named by its hash: the file's own name
// goes along (?name=) so a download keeps it and a picture shows inline.
import type { FileEntry } from './api'

/** The link of a file the server can serve, or undefined when it cannot. */
export function fileHref(f: FileEntry): string | undefined {
  if (!f.url || f.problem === 'missing') return undefined
  if (!f.url.startsWith('/api/artifacts/')) return f.url
  const name = f.path.split(/[/\\]/).at(-1) || 'file'
  return `${f.url}?name=${encodeURIComponent(name)}`
}

/** Why a file has no link, in the words its server would use. */
export const unservedReason = (f: FileEntry): string => (f.stored === false ? 'not uploaded' : 'missing')
