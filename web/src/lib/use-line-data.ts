// The data behind one chart: a downsampled history per line, loaded once (and
// again per zoom range), then extended live with only the points that are new
// since the last step seen.
import { useEffect, useRef, useState } from 'react'
import { ApiError, api, type BatchAnswer, type BatchLine, type Bucket, type RawPoint } from './api'
import { useChanges } from './live'

/** One line a chart wants: series `key` of experiment `exp`. */
export interface LineSpec {
  id: string
  exp: string
  key: string
  /** the series' last step when the page learnt of it; the first load stops there */
  lastStep: number | null
}

/** A step range to load instead of the whole series (a zoom). */
export interface StepRange {
  from: number
  to: number
}

interface Loaded {
  buckets: Bucket[]
  /** every point up to this step is in `buckets` (null: none yet) */
  lastStep: number | null
  appended: number
}

/** The loaded lines, and when they arrived (performance.now(), for the draw-time benchmark). */
export interface LineDataState {
  lines: Map<string, Loaded>
  version: number
  arrivedAt: number
  loading: boolean
  error: string | undefined
}

// Past this many raw points appended live, a fresh downsample is cheaper to draw.
const REDOWNSAMPLE_AFTER = 5000
// A panel's request names its experiments in the URL; past this length it is split.
const MAX_URL = 6000

/** How a panel asks: one bucket per pixel of its width, bands only when few lines draw them. */
export interface LoadOptions {
  /** the plot's width in px (undefined: not measured yet, nothing is loaded) */
  width: number | undefined
  bands: boolean
  /** wall times are needed (x axis of time); a step axis does without */
  times: boolean
}

// Buckets in one panel's answer: past this, lines get fewer buckets than pixels
// (600 overlapping lines show no more at 650 than at 250 buckets, and cost 2.6× the bytes).
const PANEL_BUCKETS = 150_000

/** Splits experiment names into lists whose query strings stay under MAX_URL. */
export function chunkNames(names: readonly string[], reserve: number): string[][] {
  const out: string[][] = []
  let cur: string[] = []
  let len = reserve
  for (const n of names) {
    const l = encodeURIComponent(n).length + 5
    if (cur.length > 0 && len + l > MAX_URL) {
      out.push(cur)
      cur = []
      len = reserve
    }
    cur.push(n)
    len += l
  }
  if (cur.length > 0) out.push(cur)
  return out
}

/** The panel's lines one request each, in the batch answer's shape. */
async function perLine(specs: readonly LineSpec[], buckets: number, from: number | undefined, to: number | undefined): Promise<BatchAnswer[]> {
  const lines = await Promise.all(
    specs.map(async (s): Promise<BatchLine> => {
      const r = await api.downsample(s.exp, s.key, { buckets, from, to })
      const col = <K extends keyof Bucket>(k: K) => r.buckets.map((b) => b[k])
      return {
        exp: s.exp,
        series: s.key,
        step: col('step'),
        time: col('time'),
        last: col('last'),
        min: col('min'),
        max: col('max'),
        count: col('count'),
        nanCount: col('nanCount'),
      }
    }),
  )
  return [{ buckets, lines, missing: [] }]
}

const bucketsOf = (l: BatchLine): Bucket[] =>
  l.step.map((step, i) => {
    const last = l.last[i] as number
    return {
      step,
      time: l.time?.[i] ?? 0,
      min: l.min?.[i] ?? last,
      max: l.max?.[i] ?? last,
      last,
      count: l.count[i] as number,
      nanCount: l.nanCount[i] as number,
    }
  })

const toBucket = ([step, time, value]: RawPoint): Bucket => ({
  step,
  time,
  min: value,
  max: value,
  last: value,
  count: 1,
  nanCount: Number.isNaN(value) ? 1 : 0,
})

/**
 * Loads and live-updates the lines of one chart panel with one request (a few
 * when the names would not fit one URL); `zoom` is the step range to load.
 */
export function useLineData(specs: LineSpec[], zoom: StepRange | undefined, load: LoadOptions): LineDataState {
  const [state, setState] = useState<LineDataState>({ lines: new Map(), version: 0, arrivedAt: 0, loading: true, error: undefined })
  const specsRef = useRef(specs)
  specsRef.current = specs
  const loadedRef = useRef(state.lines)
  loadedRef.current = state.lines
  const pending = useRef(new Set<string>())
  const [reload, setReload] = useState(0)
  const key = specs.map((s) => s.id).join('\n')
  const zoomKey = zoom ? `${zoom.from}:${zoom.to}` : ''

  // biome-ignore lint/correctness/useExhaustiveDependencies: specs and zoom are read through their keys
  useEffect(() => {
    if (load.width === undefined) return
    let cancelled = false
    setState((s) => ({ ...s, loading: true }))
    const previous = loadedRef.current
    const specs = specsRef.current
    const exps = [...new Set(specs.map((s) => s.exp))]
    const keys = [...new Set(specs.map((s) => s.key))]
    // Without zoom, stop at the last step we know of any line, so live appends start after it.
    let to: number | undefined
    if (zoom) to = zoom.to
    else {
      for (const s of specs) {
        const last = previous.get(s.id)?.lastStep ?? s.lastStep
        if (last === null) {
          to = undefined
          break
        }
        to = Math.max(to ?? last, last)
      }
    }
    const buckets = Math.max(50, Math.min(4000, Math.round(load.width), Math.floor(PANEL_BUCKETS / Math.max(1, specs.length))))
    const reserve = keys.reduce((n, k) => n + encodeURIComponent(k).length + 8, 80)
    Promise.all(
      chunkNames(exps, reserve).map((chunk) =>
        api.downsampleMany({ exps: chunk, series: keys, buckets, from: zoom?.from, to, bands: load.bands, times: load.times }),
      ),
    )
      .catch((e: unknown) => {
        // a server without the panel route (a team server on PostgreSQL): one request per line
        if (!(e instanceof ApiError && e.status === 404 && e.message.startsWith('no API route'))) throw e
        return perLine(specs, buckets, zoom?.from, to)
      })
      .then(
        (answers) => {
          if (cancelled) return
          const byId = new Map<string, BatchLine>()
          for (const a of answers) for (const l of a.lines) byId.set(`${l.exp}\u0000${l.series}`, l)
          const lines = new Map<string, Loaded>()
          for (const s of specs) {
            const l = byId.get(`${s.exp}\u0000${s.key}`)
            const known = previous.get(s.id)?.lastStep ?? s.lastStep
            let bs = l ? bucketsOf(l) : []
            // The panel's range ends at its longest line: a line keeps only what it was known to
            // hold, so live appends after its own last step add nothing twice.
            if (!zoom && known !== null) bs = bs.filter((b) => b.step <= known)
            const lastStep = known ?? bs.at(-1)?.step ?? null
            lines.set(s.id, { buckets: bs, lastStep, appended: 0 })
          }
          setState((s) => ({ lines, version: s.version + 1, arrivedAt: performance.now(), loading: false, error: undefined }))
        },
        (e: Error) => {
          if (!cancelled) setState((s) => ({ ...s, loading: false, error: e.message }))
        },
      )
    return () => {
      cancelled = true
    }
  }, [key, zoomKey, reload, load.width, load.bands, load.times])

  useChanges((changed) => {
    if (zoom) return // a zoomed chart holds still; un-zooming loads everything again
    for (const e of changed) {
      for (const s of specsRef.current) {
        if (s.exp !== e.name || pending.current.has(s.id)) continue
        const loaded = loadedRef.current.get(s.id)
        const summary = e.series[s.key]
        if (!loaded || !summary || summary.lastStep === null) continue
        if (loaded.lastStep !== null && summary.lastStep <= loaded.lastStep) continue
        pending.current.add(s.id)
        api
          .points(s.exp, s.key, loaded.lastStep ?? undefined)
          .then((res) => {
            if (res.points.length === 0) return
            setState((st) => {
              const cur = st.lines.get(s.id)
              if (!cur) return st
              // drop anything a concurrent reload already holds
              const fresh = res.points.filter((p) => cur.lastStep === null || p[0] > cur.lastStep)
              if (fresh.length === 0) return st
              const lines = new Map(st.lines)
              lines.set(s.id, {
                buckets: cur.buckets.concat(fresh.map(toBucket)),
                lastStep: (fresh.at(-1) as RawPoint)[0],
                appended: cur.appended + fresh.length,
              })
              return { ...st, lines, version: st.version + 1, arrivedAt: performance.now() }
            })
          })
          .catch(() => {
            // the next change retries
          })
          .finally(() => pending.current.delete(s.id))
      }
    }
  })

  useEffect(() => {
    for (const l of state.lines.values()) {
      if (l.appended > REDOWNSAMPLE_AFTER) {
        setReload((r) => r + 1)
        return
      }
    }
  }, [state.lines])

  return state
}
