// The data behind one chart: a downsampled history per line, loaded once (and
// again per zoom range), then extended live with only the points that are new
// since the last step seen.
import { useEffect, useRef, useState } from 'react'
import { api, type Bucket, type RawPoint } from './api'
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

const BUCKETS = 1000
// Past this many raw points appended live, a fresh downsample is cheaper to draw.
const REDOWNSAMPLE_AFTER = 5000

const toBucket = ([step, time, value]: RawPoint): Bucket => ({
  step,
  time,
  min: value,
  max: value,
  last: value,
  count: 1,
  nanCount: Number.isNaN(value) ? 1 : 0,
})

/** Loads and live-updates the lines of one chart; `zoom` maps line ids to step ranges. */
export function useLineData(specs: LineSpec[], zoom: Map<string, StepRange> | undefined): LineDataState {
  const [state, setState] = useState<LineDataState>({ lines: new Map(), version: 0, arrivedAt: 0, loading: true, error: undefined })
  const specsRef = useRef(specs)
  specsRef.current = specs
  const loadedRef = useRef(state.lines)
  loadedRef.current = state.lines
  const pending = useRef(new Set<string>())
  const [reload, setReload] = useState(0)
  const key = specs.map((s) => s.id).join('\n')
  const zoomKey = zoom ? [...zoom].map(([id, r]) => `${id}:${r.from}:${r.to}`).join('\n') : ''

  // biome-ignore lint/correctness/useExhaustiveDependencies: specs and zoom are read through their keys
  useEffect(() => {
    let cancelled = false
    setState((s) => ({ ...s, loading: true }))
    const previous = loadedRef.current
    Promise.all(
      specsRef.current.map(async (s) => {
        const range = zoom?.get(s.id)
        // Without zoom, stop at the last step we know, so live appends start exactly after it.
        const last = previous.get(s.id)?.lastStep ?? s.lastStep
        const to = range ? range.to : (last ?? undefined)
        const res = await api.downsample(s.exp, s.key, { buckets: BUCKETS, from: range?.from, to })
        const lastStep = range ? (previous.get(s.id)?.lastStep ?? s.lastStep) : (last ?? res.buckets.at(-1)?.step ?? null)
        return [s.id, { buckets: res.buckets, lastStep, appended: 0 }] as const
      }),
    ).then(
      (entries) => {
        if (cancelled) return
        setState((s) => ({ lines: new Map(entries), version: s.version + 1, arrivedAt: performance.now(), loading: false, error: undefined }))
      },
      (e: Error) => {
        if (!cancelled) setState((s) => ({ ...s, loading: false, error: e.message }))
      },
    )
    return () => {
      cancelled = true
    }
  }, [key, zoomKey, reload])

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
