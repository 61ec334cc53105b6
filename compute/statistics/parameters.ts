import {
  EndBeforeStartError,
  NotIsoDateError,
  StaticFlagMissingError,
  UnknownStatisticError,
  UnknownTimeZoneError,
  UnknownTimesliceError,
} from './statistics-error';
import { instantOf, deviceTimeZone, isTimeZone } from './time-zone';
import { TIMESLICES, type Timeslice } from './timeslices';

/**
 * What a caller asks for, with the PyDash parameter names: `statistics` (names below, or a comma-separated string),
 * an optional [start_date, end_date) range (ISO 8601; without an offset, wall-clock time in `time_zone`), an optional
 * `timeslice` (year, month, week, day, hour, minute) with `timeslice_is_static` (calendar-aligned or fixed lengths
 * from start_date), and `time_zone` (IANA; default the device's). Without a timeslice the range is one slice.
 */
export interface StatisticsParameters {
  statistics: readonly string[] | string;
  start_date?: string | undefined;
  end_date?: string | undefined;
  timeslice?: string | undefined;
  timeslice_is_static?: boolean | undefined;
  time_zone?: string | undefined;
}

/**
 * Statistic names: count (finite values), sum, min, max, mean, rms, std (sample, n − 1), median, q1, q3 and any
 * quantile as p<percent> (p90, p99, p99.9). NaN and ±Infinity are always counted apart and left out of the others.
 */
export const NAMED_STATISTICS = ['count', 'sum', 'min', 'max', 'mean', 'rms', 'std', 'median', 'q1', 'q3', 'p90', 'p99'] as const;

/** The parameters checked and normalised. Times in ms since 1970. */
export interface StatisticsRequest {
  statistics: string[];
  /** The quantile (0–1) of each quantile statistic, by name. */
  quantiles: Map<string, number>;
  start: number | undefined;
  end: number | undefined;
  timeslice: Timeslice | undefined;
  isStatic: boolean;
  timeZone: string;
  /** The parameters as given, normalised (stored with results, and the key they are reused by). */
  normalized: { statistics: string[]; start_date: string | null; end_date: string | null; timeslice: Timeslice | null; timeslice_is_static: boolean | null; time_zone: string };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Checks and normalises parameters; each bad combination throws its own StatisticsParameterError (status 400). */
export function parseStatisticsParameters(parameters: StatisticsParameters): StatisticsRequest {
  const timeZone = parameters.time_zone?.trim() || deviceTimeZone();
  if (!isTimeZone(timeZone)) throw new UnknownTimeZoneError(`Unknown time zone “${timeZone}”: use an IANA name such as Europe/Paris or UTC.`, 'time_zone');
  const names = (typeof parameters.statistics === 'string' ? parameters.statistics.split(',') : [...parameters.statistics]).map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new UnknownStatisticError(`No statistic asked: give one or more of ${NAMED_STATISTICS.join(', ')} or p<percent>.`, 'statistics');
  const statistics = [...new Set(names)];
  const quantiles = new Map<string, number>();
  for (const name of statistics) {
    const quantile = quantileOf(name);
    if (quantile !== undefined) quantiles.set(name, quantile);
    else if (!(NAMED_STATISTICS as readonly string[]).includes(name)) {
      throw new UnknownStatisticError(`Unknown statistic “${name}”: use ${NAMED_STATISTICS.join(', ')} or p<percent> (0–100, e.g. p99.9).`, 'statistics');
    }
  }
  const start = parseDate(parameters.start_date, 'start_date', timeZone);
  const end = parseDate(parameters.end_date, 'end_date', timeZone);
  if (start !== undefined && end !== undefined && end <= start) {
    throw new EndBeforeStartError(`end_date (${parameters.end_date}) must be after start_date (${parameters.start_date}).`, 'end_date');
  }
  let timeslice: Timeslice | undefined;
  if (parameters.timeslice !== undefined && parameters.timeslice !== '') {
    if (!(TIMESLICES as readonly string[]).includes(parameters.timeslice)) {
      throw new UnknownTimesliceError(`Unknown timeslice “${parameters.timeslice}”: use one of ${TIMESLICES.join(', ')}.`, 'timeslice');
    }
    timeslice = parameters.timeslice as Timeslice;
    if (typeof parameters.timeslice_is_static !== 'boolean') {
      throw new StaticFlagMissingError(
        'A timeslice needs timeslice_is_static: true for calendar slices (June, W23), false for fixed lengths from start_date.',
        'timeslice_is_static',
      );
    }
  }
  const isStatic = timeslice !== undefined && parameters.timeslice_is_static === true;
  return {
    statistics,
    quantiles,
    start,
    end,
    timeslice,
    isStatic,
    timeZone,
    normalized: {
      statistics,
      start_date: parameters.start_date ?? null,
      end_date: parameters.end_date ?? null,
      timeslice: timeslice ?? null,
      timeslice_is_static: timeslice === undefined ? null : isStatic,
      time_zone: timeZone,
    },
  };
}

/** The quantile a statistic name stands for (median 0.5, q1 0.25, q3 0.75, p99 0.99), if it is one. */
export function quantileOf(name: string): number | undefined {
  if (name === 'median') return 0.5;
  if (name === 'q1') return 0.25;
  if (name === 'q3') return 0.75;
  const match = /^p(\d{1,3}(?:\.\d+)?)$/.exec(name);
  if (!match) return undefined;
  const percent = Number(match[1]);
  return percent <= 100 ? Number((percent / 100).toPrecision(12)) : undefined; // p99.9 → 0.999, not 0.9990000000000001
}

/** An ISO 8601 date or date-time; without an offset it is wall-clock time in `zone`. */
function parseDate(value: string | undefined, parameter: string, zone: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const match = ISO_DATE.exec(value.trim());
  const problem = () => new NotIsoDateError(`${parameter} “${value}” is not an ISO 8601 date: write 2024-06-01, 2024-06-01T13:00 or 2024-06-01T13:00:00Z.`, parameter);
  if (!match) throw problem();
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
  const fields = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  if (fields.month < 1 || fields.month > 12 || fields.day < 1 || fields.day > daysIn(fields.year, fields.month) || fields.hour > 23 || fields.minute > 59 || fields.second > 59) throw problem();
  const milliseconds = fraction ? Math.round(Number(`0${fraction}`) * 1000) : 0;
  if (offset === undefined) return instantOf(fields, zone) + milliseconds;
  const parsed = Date.parse(`${year}-${month}-${day}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}${fraction}${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`);
  if (Number.isNaN(parsed)) throw problem();
  return parsed;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function pad2(value: string): string {
  return value.padStart(2, '0');
}
