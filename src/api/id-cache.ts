/**
 * The row ids a Database connection has looked up, so that logging a value
 * does not look its experiment and series up by name each time, and how many
 * points of each series lie past its last block (when its tail is folded).
 *
 * An id is only a hint: another process may purge its row (then the write
 * finds it gone, and the caller forgets and retries from the names), and a
 * transaction that rolls back takes back the rows it created, whose ids SQLite
 * may hand out again to other rows. So the caller forgets everything when a
 * transaction it cached ids in does not commit.
 */
export class IdCache {
  private readonly exps = new Map<string, number>()
  private readonly series = new Map<string, number>()
  private readonly past = new Map<number, number>()

  /** The cached id of the experiment of that name. */
  experiment(name: string): number | undefined {
    return this.exps.get(name)
  }

  setExperiment(name: string, id: number): void {
    this.exps.set(name, id)
  }

  /** The cached id of the series (name, split) of an experiment. */
  seriesId(expId: number, name: string, split: string): number | undefined {
    return this.series.get(seriesKey(expId, name, split))
  }

  setSeries(expId: number, name: string, split: string, id: number): void {
    this.series.set(seriesKey(expId, name, split), id)
  }

  /** How many points of the series lie past blocked_until, when this connection knows. */
  pastBlocked(seriesId: number): number | undefined {
    return this.past.get(seriesId)
  }

  setPastBlocked(seriesId: number, n: number): void {
    this.past.set(seriesId, n)
  }

  dropPastBlocked(seriesId: number): void {
    this.past.delete(seriesId)
  }

  /** Drops what is cached of one experiment (trashed or purged by this connection). */
  forgetExperiment(name: string, id?: number): void {
    this.exps.delete(name)
    if (id === undefined) return
    const prefix = `${id}\u0000`
    for (const k of this.series.keys()) if (k.startsWith(prefix)) this.series.delete(k)
  }

  /** Drops everything: a transaction that cached ids rolled back, or an id was found stale. */
  forget(): void {
    this.exps.clear()
    this.series.clear()
    this.past.clear()
  }
}

function seriesKey(expId: number, name: string, split: string): string {
  return `${expId}\u0000${name}\u0000${split}`
}
