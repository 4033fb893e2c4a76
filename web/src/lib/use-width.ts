// The width of an element, kept current on resize, so plots use their card's width.
import { useCallback, useRef, useState } from 'react'

/**
 * A callback ref to attach and the element's content width in px (`fallback`
 * until measured). A callback ref, because the element may mount later than
 * the component (after its data loads).
 *
 * @example const [ref, width] = useWidth<HTMLDivElement>(800)
 */
export function useWidth<T extends HTMLElement>(fallback: number): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(fallback)
  const observer = useRef<ResizeObserver | undefined>(undefined)
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect()
    observer.current = undefined
    if (!el) return
    const measure = () => setWidth(Math.max(200, Math.floor(el.clientWidth)))
    measure()
    observer.current = new ResizeObserver(measure)
    observer.current.observe(el)
  }, [])
  return [ref, width]
}
