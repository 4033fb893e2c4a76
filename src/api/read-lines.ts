import { closeSync, openSync, readSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'

/**
 * The lines of a text file, read in 1 MiB chunks so a large export does not
 * have to fit in one string. Line breaks (\n or \r\n) are removed.
 */
export function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r')
  const buf = Buffer.allocUnsafe(1 << 20)
  // keeps a UTF-8 character that straddles two chunks whole
  const decoder = new StringDecoder('utf8')
  let rest = ''
  const strip = (l: string) => (l.endsWith('\r') ? l.slice(0, -1) : l)
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      const lines = (rest + decoder.write(buf.subarray(0, n))).split('\n')
      rest = lines.pop() ?? ''
      for (const l of lines) yield strip(l)
    }
    rest += decoder.end()
    if (rest) yield strip(rest)
  } finally {
    closeSync(fd)
  }
}
