// How many children of a height-capped box lie below what it shows: a legend
// capped to a few rows tells the user how many lines it leaves out ("+N more")
// instead of cutting a row in half with nothing to say there is more.
import { type RefObject, useLayoutEffect, useState } from 'react'

/**
 * The number of `el`'s children whose top is at or below its visible height,
 * measured after each render that changes `key` and whenever the box resizes.
 *
 * @example const hidden = useHiddenCount(ref, items.length) // 7 → "+7 more"
 */
export function useHiddenCount(ref: RefObject<HTMLElement | null>, key: unknown): number {
  const [hidden, setHidden] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again when the items (key) change
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) {
      setHidden(0)
      return
    }
    const measure = () => {
      // nothing overflows: no child can be hidden (skips reading every child's position)
      if (el.scrollHeight <= el.clientHeight) return setHidden(0)
      // positions within the box's content, whatever it is scrolled to (keyboard focus can scroll it)
      const top = el.getBoundingClientRect().top + el.clientTop - el.scrollTop
      let n = 0
      for (const c of el.children) if (c.getBoundingClientRect().top - top >= el.clientHeight - 1) n++
      setHidden(n)
    }
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [key])
  return hidden
}
