/** How often plain logging calls refresh the heartbeat of their experiment. */
export const HEARTBEAT_EVERY_MS = 10_000
/** How often an experiment held active by a connection beats on its own (LOST comes after 60 s). */
export const HEARTBEAT_TIMER_MS = 15_000

/** Writes one beat of the named experiment; false when there is nothing left to keep alive. */
export type Beat = (name: string) => boolean

/**
 * The heartbeats of one Database connection: when it last wrote each
 * experiment's heartbeat (so logging refreshes it at most every 10 s), and at
 * most one timer per experiment that beats while the connection holds it in
 * an active status — whether a Run or setExpStatus asked for it, so a run that
 * sets VALIDATING, or a sweep trial, never beats on two timers. Timers are
 * unref'd: they never keep a finished script alive.
 */
export class Heartbeats {
  private readonly last = new Map<number, number>()
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; everyMs: number }>()

  constructor(private readonly beat: Beat) {}

  /** Records that a write set the experiment's heartbeat at `now`. */
  wrote(id: number, now: number): void {
    this.last.set(id, now)
  }

  /** Whether a logging call at `now` should also refresh the heartbeat (none written for 10 s). */
  due(id: number, now: number): boolean {
    return now - (this.last.get(id) ?? 0) >= HEARTBEAT_EVERY_MS
  }

  /**
   * Beats `name` every `everyMs` until stop(). A timer already beating it is
   * kept, unless a period is given and differs (a Run's own period wins over
   * the default one setExpStatus asked for). A beat that returns false stops it.
   */
  keep(name: string, everyMs?: number): void {
    const running = this.timers.get(name)
    if (running && (everyMs === undefined || everyMs === running.everyMs)) return
    if (running) clearInterval(running.timer)
    const period = everyMs ?? HEARTBEAT_TIMER_MS
    const timer = setInterval(() => {
      if (!this.beat(name)) this.stop(name)
    }, period)
    timer.unref()
    this.timers.set(name, { timer, everyMs: period })
  }

  /** Stops the timer of `name`, if any. */
  stop(name: string): void {
    clearInterval(this.timers.get(name)?.timer)
    this.timers.delete(name)
  }

  /** Stops every timer (the connection closes). */
  stopAll(): void {
    for (const { timer } of this.timers.values()) clearInterval(timer)
    this.timers.clear()
  }
}
