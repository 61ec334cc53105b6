import { TooManySlicesError } from './statistics-error';
import { formatOffset, instantOf, localTime, pad, wallClockMs, zoneOffset, type LocalTime } from './time-zone';

export const TIMESLICES = ['year', 'month', 'week', 'day', 'hour', 'minute'] as const;
export type Timeslice = (typeof TIMESLICES)[number];

/** One timeslice: instants [start, end) in ms, and a label ("2024-06", "2024-W23", "2024-10-27T02:00+01:00"). */
export interface Slice {
  start: number;
  end: number;
  label: string;
}

/** A result holds at most this many slices (minute slices of about ten weeks); more is refused with a 400. */
export const MAX_SLICES = 100_000;

const FIXED_MS: Partial<Record<Timeslice, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/**
 * Calendar-aligned slices covering [from, to) in `zone`: years, months, ISO weeks (from Monday), days (23 or 25
 * hours on a change of clocks), hours (a skipped hour has no slice, a repeated one has two, told apart by their
 * offset) and minutes. The first and last slices keep their calendar bounds even where [from, to) cuts them.
 */
export function staticSlices(unit: Timeslice, from: number, to: number, zone: string): Slice[] {
  checkCount(unit, from, to);
  const slices: Slice[] = [];
  let start = calendarStart(unit, from, zone);
  while (start < to) {
    if (slices.length >= MAX_SLICES) throw tooMany(unit);
    const end = nextCalendarStart(unit, start, zone);
    slices.push({ start, end, label: calendarLabel(unit, start, zone) });
    start = end;
  }
  return slices;
}

/**
 * Slices from `from` on, each of one fixed length — minute 60 s, hour 3,600 s, day 86,400 s, week 7 days, whatever
 * the clocks do — or, for month and year (whose length varies), the same wall-clock time one month or year later
 * (31 January → 29 February → 31 March: the day is kept where the month has it).
 */
export function dynamicSlices(unit: Timeslice, from: number, to: number, zone: string): Slice[] {
  checkCount(unit, from, to);
  const slices: Slice[] = [];
  const fixed = FIXED_MS[unit];
  const origin = localTime(from, zone);
  for (let index = 0, start = from; start < to; index += 1) {
    if (slices.length >= MAX_SLICES) throw tooMany(unit);
    const end = fixed !== undefined ? from + (index + 1) * fixed : instantOf(addMonths(origin, (index + 1) * (unit === 'year' ? 12 : 1)), zone) + (from % 1000);
    slices.push({ start, end, label: instantLabel(start, zone) });
    start = end;
  }
  return slices;
}

/** Refuses at once a range that clearly holds too many slices (the loops also stop at the limit). */
function checkCount(unit: Timeslice, from: number, to: number): void {
  const shortest = FIXED_MS[unit] ?? (unit === 'month' ? 28 * 86_400_000 : 365 * 86_400_000);
  if ((to - from) / shortest > MAX_SLICES + 2) throw tooMany(unit);
}

function tooMany(unit: Timeslice): TooManySlicesError {
  return new TooManySlicesError(`More than ${MAX_SLICES.toLocaleString('en')} ${unit} slices: choose a longer timeslice or a shorter range.`, 'timeslice');
}

/** The start of the calendar `unit` holding instant `ms`. */
export function calendarStart(unit: Timeslice, ms: number, zone: string): number {
  const local = localTime(ms, zone);
  const subSecond = ((ms % 1000) + 1000) % 1000;
  switch (unit) {
    case 'minute':
      return ms - local.second * 1000 - subSecond;
    case 'hour':
      // From the wall clock, not UTC: zones at +05:30 or +05:45 start their hours off the UTC hour.
      return ms - (local.minute * 60 + local.second) * 1000 - subSecond;
    case 'day':
      return instantOf({ ...local, hour: 0, minute: 0, second: 0 }, zone);
    case 'week': {
      const monday = new Date(wallClockMs({ ...local, hour: 0, minute: 0, second: 0 }));
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      return instantOf(fieldsOf(monday), zone);
    }
    case 'month':
      return instantOf({ ...local, day: 1, hour: 0, minute: 0, second: 0 }, zone);
    case 'year':
      return instantOf({ ...local, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, zone);
  }
}

/** The start of the calendar unit after the one starting at `start`. */
function nextCalendarStart(unit: Timeslice, start: number, zone: string): number {
  if (unit === 'minute' || unit === 'hour') {
    const step = start + FIXED_MS[unit]!;
    // A change of clocks by less than an hour (Lord Howe Island: 30 min) moves the wall-clock hour: realign on it.
    const aligned = calendarStart(unit, step, zone);
    return aligned > start ? aligned : step;
  }
  const local = localTime(start, zone);
  const next = new Date(wallClockMs({ ...local, hour: 0, minute: 0, second: 0 }));
  if (unit === 'day') next.setUTCDate(next.getUTCDate() + 1);
  else if (unit === 'week') next.setUTCDate(next.getUTCDate() + 7);
  else if (unit === 'month') next.setUTCMonth(next.getUTCMonth() + 1, 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1, 0, 1);
  return instantOf(fieldsOf(next), zone);
}

function fieldsOf(date: Date): LocalTime {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds() };
}

/** `local` moved by `months`, the day of the month kept where the month has it (else its last day). */
function addMonths(local: LocalTime, months: number): LocalTime {
  const total = local.year * 12 + (local.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const lastDay = new Date(wallClockMs({ year, month: month + 1, day: 0, hour: 0, minute: 0, second: 0 })).getUTCDate();
  return { ...local, year, month, day: Math.min(local.day, lastDay) };
}

function calendarLabel(unit: Timeslice, start: number, zone: string): string {
  const local = localTime(start, zone);
  const date = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
  switch (unit) {
    case 'year':
      return pad(local.year, 4);
    case 'month':
      return `${pad(local.year, 4)}-${pad(local.month)}`;
    case 'week': {
      const { year, week } = isoWeek(local);
      return `${pad(year, 4)}-W${pad(week)}`;
    }
    case 'day':
      return date;
    default:
      return instantLabel(start, zone);
  }
}

/** ISO 8601 local time with its offset, to the minute (seconds when not whole): "2024-10-27T02:00+01:00". */
export function instantLabel(ms: number, zone: string): string {
  const local = localTime(ms, zone);
  const seconds = local.second !== 0 ? `:${pad(local.second)}` : '';
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}${seconds}${formatOffset(zoneOffset(ms, zone))}`;
}

/** The ISO week (weeks start on Monday; week 1 holds the year's first Thursday) of a date. */
export function isoWeek({ year, month, day }: Pick<LocalTime, 'year' | 'month' | 'day'>): { year: number; week: number } {
  const date = new Date(wallClockMs({ year, month, day, hour: 0, minute: 0, second: 0 }));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week decides its year
  const weekYear = date.getUTCFullYear();
  const firstThursday = new Date(wallClockMs({ year: weekYear, month: 1, day: 4, hour: 0, minute: 0, second: 0 }));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  return { year: weekYear, week: 1 + Math.round((date.getTime() - firstThursday.getTime()) / 604_800_000) };
}
