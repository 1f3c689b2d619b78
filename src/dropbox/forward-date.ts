/**
 * The date line of an inline forward, as each client writes it ("Mon, Dec 1, 2026 at 10:05 AM",
 * "Monday, December 1, 2026 10:05 AM", "2026年12月1日(星期一) 上午10:05", "2026-12-01 10:05:00",
 * "December 1, 2026 at 10:05:00 GMT+8"). Most name no time zone: the forwarder's client wrote the
 * forwarder's local time, so the zone of the forward's own Date header stands in for it.
 */

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

// Apple Mail writes abbreviations; the unambiguous ones are enough (CST is China and Central both: left out).
const ZONES: Record<string, number> = {
  GMT: 0,
  UTC: 0,
  CET: 60,
  CEST: 120,
  BST: 60,
  EST: -300,
  EDT: -240,
  PST: -480,
  PDT: -420,
  JST: 540,
  HKT: 480,
  SGT: 480,
};

interface Day {
  y: number;
  m: number;
  d: number;
  end: number;
}

function findDay(s: string): Day | null {
  let r = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/.exec(s) ?? /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(s);
  if (r) return { y: +r[1], m: +r[2], d: +r[3], end: r.index + r[0].length };
  r = /([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/.exec(s);
  if (r && MONTHS[r[1].slice(0, 3).toLowerCase()])
    return { y: +r[3], m: MONTHS[r[1].slice(0, 3).toLowerCase()], d: +r[2], end: r.index + r[0].length };
  r = /(\d{1,2})\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})/.exec(s);
  if (r && MONTHS[r[2].slice(0, 3).toLowerCase()])
    return { y: +r[3], m: MONTHS[r[2].slice(0, 3).toLowerCase()], d: +r[1], end: r.index + r[0].length };
  return null;
}

/** Minutes east of UTC named in the text, or null when it names none. */
function zoneIn(s: string): number | null {
  const offset = /(?:GMT|UTC)?\s*([+-])(\d{1,2})(?::?(\d{2}))?\b/.exec(s);
  if (offset && (/(GMT|UTC)\s*[+-]/i.test(s) || /[+-]\d{2}:?\d{2}\b/.test(s))) {
    const sign = offset[1] === '-' ? -1 : 1;
    return sign * (+offset[2] * 60 + +(offset[3] ?? 0));
  }
  const named = /\b([A-Z]{3,4})\b/.exec(s);
  return named && named[1] in ZONES ? ZONES[named[1]] : null;
}

/** The zone of an RFC 5322 Date header ("… +0800"), in minutes east of UTC; null when it has none. */
export function headerZone(dateHeader: string | null): number | null {
  const r = dateHeader && /([+-])(\d{2})(\d{2})\s*(?:\([^)]*\))?\s*$/.exec(dateHeader.trim());
  if (!r) return null;
  return (r[1] === '-' ? -1 : 1) * (+r[2] * 60 + +r[3]);
}

/** The instant a forward's date line names, or null when it cannot be read. */
export function parseForwardedDate(value: string, fallbackZone: number | null): Date | null {
  const s = value.replace(/\s+/g, ' ').trim();
  const day = findDay(s);
  if (!day || day.m < 1 || day.m > 12 || day.d < 1 || day.d > 31) return null;
  const rest = s.slice(day.end);
  const time = /(上午|下午|中午|晚上|凌晨)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*(AM|PM|a\.m\.|p\.m\.)?/i.exec(rest);
  let hour = time ? +time[2] : 0;
  const minute = time ? +time[3] : 0;
  const second = time?.[4] ? +time[4] : 0;
  const half = `${time?.[1] ?? ''}${time?.[5] ?? ''}`.toLowerCase();
  if (/pm|p\.m\.|下午|晚上/.test(half) && hour < 12) hour += 12;
  else if (/中午/.test(half) && hour < 11) hour += 12;
  else if (/am|a\.m\.|凌晨|上午/.test(half) && hour === 12) hour = 0;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const zone = zoneIn(time ? rest.slice(time.index + time[0].length) : rest) ?? fallbackZone ?? 0;
  const at = new Date(Date.UTC(day.y, day.m - 1, day.d, hour, minute, second) - zone * 60_000);
  return Number.isNaN(at.getTime()) ? null : at;
}
