// Short names for a chart's legend: only the parts of the experiments' names
// that differ. `20261126_132826_iris-mlp-h16-lr0.8` among runs of one sweep
// reads `h16-lr0.8`; the full name stays in the tooltip and the chips.

const SEP = /([_\-\s/:|,]+)/

/** Names split into words, each with the separator before it ('' for the first). */
function words(name: string): { sep: string; word: string }[] {
  const parts = name.split(SEP)
  const out: { sep: string; word: string }[] = []
  // split with a capturing group alternates word, separator, word, …
  for (let i = 0; i < parts.length; i += 2) out.push({ sep: i === 0 ? '' : (parts[i - 1] as string), word: parts[i] as string })
  return out
}

function join(ws: readonly { sep: string; word: string }[]): string {
  return ws
    .map((w, i) => (i === 0 ? w.word : w.sep + w.word))
    .join('')
    .replace(/^[_\-\s/:|,]+|[_\-\s/:|,]+$/g, '')
}

/**
 * Each name shortened to the words that differ between the names: words equal
 * at the same place in every name are dropped when all names have as many
 * words (and dates and times when the other words tell the names apart), else
 * only the common leading and trailing words. The full names when
 * there is one name, or when shortening would make two names alike or one empty.
 */
export function shortNames(names: readonly string[]): string[] {
  if (names.length < 2) return [...names]
  const split = names.map(words)
  const n = (split[0] as { word: string }[]).length
  let out: string[]
  if (split.every((w) => w.length === n)) {
    const keep = Array.from({ length: n }, (_, i) => split.some((w) => w[i]?.word !== split[0]?.[i]?.word))
    const label = () => split.map((w) => join(w.filter((_, i) => keep[i])))
    // a date or time (expName's 20261126_132826_ prefix) goes too when the rest tells the runs apart
    for (let i = 0; i < n; i++) {
      if (!keep[i] || !split.every((w) => /^\d{6,}$/.test(w[i]?.word ?? ''))) continue
      keep[i] = false
      const rest = label()
      if (rest.some((s) => s === '') || new Set(rest).size !== new Set(names).size) keep[i] = true
    }
    out = label()
  } else {
    const min = Math.min(...split.map((w) => w.length))
    let head = 0
    while (head < min - 1 && split.every((w) => w[head]?.word === split[0]?.[head]?.word)) head++
    let tail = 0
    while (tail < min - 1 - head && split.every((w) => w[w.length - 1 - tail]?.word === split[0]?.[(split[0]?.length ?? 0) - 1 - tail]?.word)) tail++
    out = split.map((w) => join(w.slice(head, w.length - tail)))
  }
  if (out.some((s) => s === '') || new Set(out).size !== new Set(names).size) return [...names]
  return out
}
