/**
 * Dates in filters (`created > '2026-08-03'`): ISO 8601 / RFC 3339 only, read
 * the same by every client. A date or time without an offset is UTC, so a
 * filter means the same instants on every machine (a team server may run in
 * another time zone than the dashboard's user). Other spellings ('Aug 3 2026',
 * '2026/08/03', '2026-02-30') are refused rather than guessed at.
 */

const ISO = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?)?$/

/**
 * Milliseconds since 1970 of `YYYY-MM-DD`, optionally followed by `THH:MM`,
 * `:SS`, `.fraction` (cut to milliseconds) and `Z` or `±HH:MM`; undefined when
 * the text is anything else or names no real day or time.
 *
 * @example parseIsoDate('2026-08-03') // 1785715200000
 * @example parseIsoDate('2026-08-03T12:00+02:00') // 1785751200000
 */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO.exec(text)
  if (!m) return undefined
  const [, y, mo, d, hh, mi, ss, frac, zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(hh ?? 0)
  const minute = Number(mi ?? 0)
  const second = Number(ss ?? 0)
  const ms = Number((frac ?? '').slice(0, 3).padEnd(3, '0'))
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined
  let offset = 0
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2))
    if (oh > 23 || om > 59) return undefined
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  // Date.UTC reads years 0-99 as 19xx, so count the days from 1970 ourselves.
  return (daysFromCivil(year, month, day) * 86_400 + hour * 3600 + (minute - offset) * 60 + second) * 1000 + ms
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}
