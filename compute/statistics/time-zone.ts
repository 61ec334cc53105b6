/**
 * Wall-clock time in an IANA time zone, from the platform's own zone database (Intl.DateTimeFormat): no table ships
 * with the app, and the zone rules stay as current as the browser.
 */

/** A wall-clock time; month 1–12. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** Whether the platform knows `zone` (e.g. 'Europe/Paris', 'UTC'). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The device's own time zone. */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The wall-clock time at instant `ms` (whole seconds; the milliseconds are the instant's own). */
export function localTime(ms: number, zone: string): LocalTime {
  const date = new Date(Math.floor(ms / 1000) * 1000 + zoneOffset(ms, zone));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds() };
}

/** Milliseconds of a wall-clock time read as if it were UTC (calendar arithmetic on local fields). */
export function wallClockMs({ year, month, day, hour, minute, second }: LocalTime): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0–99 as 1900–1999
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** Offsets change on quarter hours of UTC (whole-minute rules at :00, :15, :30 or :45 of offsets in quarter hours). */
const OFFSET_BLOCK = 900_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at instant `ms`, in ms (UTC+02:00 → 7,200,000). Asked of Intl once per quarter hour. */
export function zoneOffset(ms: number, zone: string): number {
  const block = Math.floor(ms / OFFSET_BLOCK);
  const key = `${zone} ${block}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const whole = block * OFFSET_BLOCK;
    const parts: Record<string, number> = {};
    for (const part of formatter(zone).formatToParts(whole)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    offset = wallClockMs({ year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']! }) - whole;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The first instant whose wall-clock time in `zone` is `local` or later. In a repeated hour (clocks going back) that is
 * its first occurrence; in a skipped one (clocks going forward) it is the moment of the change.
 */
export function instantOf(local: LocalTime, zone: string): number {
  const wall = wallClockMs(local);
  // The offsets a day either side cover any single change near this time.
  const candidates = [wall - zoneOffset(wall - 86_400_000, zone), wall - zoneOffset(wall + 86_400_000, zone)].sort((a, b) => a - b);
  for (const candidate of candidates) if (zoneOffset(candidate, zone) === wall - candidate) return candidate;
  // Skipped wall-clock time: the change lies between the two readings; find it to the second.
  let [low, high] = candidates as [number, number];
  for (let step = 0; step < 64 && high - low > 1000; step += 1) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (wallClockMs(localTime(middle, zone)) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/** `±hh:mm` of an offset in ms. */
export function formatOffset(offset: number): string {
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
