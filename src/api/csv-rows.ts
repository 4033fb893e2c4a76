// mldb import's CSV reader: csv-parse does the parsing (RFC 4180 quoting, a
// BOM); this only cuts the file's lines into chunks that end between
// records, so a large export is parsed piece by piece instead of as one string.
import { CsvError, parse } from 'csv-parse/sync'

/** One CSV record and the (1-based) file line it ends on. */
export interface CsvRow {
  cells: string[]
  line: number
}

/** A CSV error at a file line, e.g. a quote that is never closed. */
export class CsvRowError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

const CHUNK_CHARS = 1 << 20

/**
 * Feeds lines (without their breaks) in file order; returns the records that are
 * complete. A chunk ends where the quotes seen so far are even: in valid CSV an
 * odd count means a quoted field goes on to the next line. Invalid CSV is left
 * to csv-parse, which names the line.
 *
 * @example const r = new CsvRows(); r.push('a,b', 1); r.push('"x', 2); r.push('y",2', 3); r.end() // [['a','b'],['x\ny','2']]
 */
export class CsvRows {
  private chunk: string[] = []
  private chars = 0
  private firstLine = 1
  private quotes = 0
  private lastLine = 0

  /** Adds line `lineNo`; returns the records now known to be complete (often none). */
  push(line: string, lineNo: number): CsvRow[] {
    if (this.chunk.length === 0) this.firstLine = lineNo
    this.lastLine = lineNo
    this.chunk.push(line)
    this.chars += line.length + 1
    for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) this.quotes++
    return this.quotes % 2 === 0 && this.chars >= CHUNK_CHARS ? this.flush() : []
  }

  /** The records left at the end of the file; throws when a quoted field is never closed. */
  end(): CsvRow[] {
    if (this.quotes % 2 !== 0) throw new CsvRowError('a quoted CSV field is never closed', this.lastLine)
    return this.flush()
  }

  private flush(): CsvRow[] {
    if (this.chunk.length === 0) return []
    const text = this.chunk.join('\n')
    const offset = this.firstLine - 1
    this.chunk = []
    this.chars = 0
    try {
      // readLines took the \r off each line, so records end at \n only
      const options = { info: true, bom: offset === 0, relax_column_count: true, skip_empty_lines: true, record_delimiter: '\n' }
      const records = parse(text, options) as unknown as { record: string[]; info: { lines: number } }[]
      return records.map((r) => ({ cells: r.record, line: offset + r.info.lines }))
    } catch (e) {
      if (e instanceof CsvError) throw new CsvRowError(e.message.replace(/ at line \d+/, ''), offset + ((e as CsvError & { lines?: number }).lines ?? 1))
      throw e
    }
  }
}
