import { describe, expect, it } from 'vitest';
import { dynamicSlices, isoWeek, MAX_SLICES, staticSlices } from './timeslices';
import { TooManySlicesError } from './statistics-error';

const at = (iso: string) => Date.parse(iso);
const hours = (slice: { start: number; end: number }) => (slice.end - slice.start) / 3_600_000;

describe('static (calendar) slices', () => {
  it('follows month ends and the leap day', () => {
    const months = staticSlices('month', at('2024-01-15T00:00:00Z'), at('2024-04-02T00:00:00Z'), 'UTC');
    expect(months.map((slice) => slice.label)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
    expect(months.map((slice) => new Date(slice.start).toISOString())).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
    ]);
    expect(hours(months[1]!)).toBe(29 * 24); // February of a leap year
    expect(staticSlices('day', at('2024-02-28T12:00:00Z'), at('2024-03-01T01:00:00Z'), 'UTC').map((slice) => slice.label)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(staticSlices('day', at('2023-02-28T12:00:00Z'), at('2023-03-01T01:00:00Z'), 'UTC').map((slice) => slice.label)).toEqual(['2023-02-28', '2023-03-01']);
    const years = staticSlices('year', at('2023-06-01T00:00:00Z'), at('2025-01-01T00:00:00Z'), 'UTC');
    expect(years.map((slice) => [slice.label, hours(slice) / 24])).toEqual([['2023', 365], ['2024', 366]]);
  });

  it('has days of 23 and 25 hours where the clocks change, and hours told apart by their offset', () => {
    const zone = 'Europe/Paris';
    const spring = staticSlices('day', at('2024-03-30T12:00:00Z'), at('2024-04-01T12:00:00Z'), zone);
    expect(spring.map((slice) => [slice.label, hours(slice)])).toEqual([['2024-03-30', 24], ['2024-03-31', 23], ['2024-04-01', 24]]);
    expect(new Date(spring[1]!.start).toISOString()).toBe('2024-03-30T23:00:00.000Z'); // midnight at +01:00
    const autumn = staticSlices('hour', at('2024-10-26T22:00:00Z'), at('2024-10-27T23:00:00Z'), zone);
    expect(autumn).toHaveLength(25);
    expect(autumn.slice(1, 5).map((slice) => slice.label)).toEqual(['2024-10-27T01:00+02:00', '2024-10-27T02:00+02:00', '2024-10-27T02:00+01:00', '2024-10-27T03:00+01:00']);
    const springHours = staticSlices('hour', at('2024-03-30T23:00:00Z'), at('2024-03-31T22:00:00Z'), zone);
    expect(springHours).toHaveLength(23);
    expect(springHours.map((slice) => slice.label)).not.toContain('2024-03-31T02:00+01:00');
    expect(springHours.every((slice) => hours(slice) === 1)).toBe(true);
  });

  it('starts a day at the change when midnight is skipped (Santiago), and hours on the half hour at +05:30', () => {
    // 2024-09-08 in America/Santiago: clocks jump from 00:00 to 01:00.
    const days = staticSlices('day', at('2024-09-07T12:00:00Z'), at('2024-09-09T12:00:00Z'), 'America/Santiago');
    expect(days.map((slice) => [slice.label, hours(slice)])).toEqual([['2024-09-07', 24], ['2024-09-08', 23], ['2024-09-09', 24]]);
    expect(new Date(days[1]!.start).toISOString()).toBe('2024-09-08T04:00:00.000Z'); // 00:00 at -04:00, which is 01:00 at -03:00
    const kolkata = staticSlices('hour', at('2024-01-01T00:10:00Z'), at('2024-01-01T02:00:00Z'), 'Asia/Kolkata');
    expect(kolkata.map((slice) => new Date(slice.start).toISOString())).toEqual(['2023-12-31T23:30:00.000Z', '2024-01-01T00:30:00.000Z', '2024-01-01T01:30:00.000Z']);
  });

  it('uses ISO weeks from Monday, with week-years', () => {
    const weeks = staticSlices('week', at('2020-12-30T00:00:00Z'), at('2021-01-12T00:00:00Z'), 'UTC');
    expect(weeks.map((slice) => [slice.label, new Date(slice.start).toISOString().slice(0, 10)])).toEqual([
      ['2020-W53', '2020-12-28'],
      ['2021-W01', '2021-01-04'],
      ['2021-W02', '2021-01-11'],
    ]);
    expect(isoWeek({ year: 2024, month: 6, day: 5 })).toEqual({ year: 2024, week: 23 });
    expect(isoWeek({ year: 2019, month: 12, day: 30 })).toEqual({ year: 2020, week: 1 });
  });

  it('refuses more slices than a result holds', () => {
    expect(() => staticSlices('minute', 0, 2 * MAX_SLICES * 60_000, 'UTC')).toThrow(TooManySlicesError);
    expect(() => dynamicSlices('hour', 0, 2 * MAX_SLICES * 3_600_000, 'UTC')).toThrow(TooManySlicesError);
    expect(staticSlices('minute', 0, 7 * 86_400_000, 'Europe/Paris')).toHaveLength(7 * 24 * 60);
  });
});

describe('dynamic slices', () => {
  it('are fixed lengths from an odd start, whatever the clocks do', () => {
    const start = at('2024-10-26T10:17:23.500Z');
    const days = dynamicSlices('day', start, at('2024-10-29T00:00:00Z'), 'Europe/Paris');
    expect(days.map(hours)).toEqual([24, 24, 24]);
    expect(days[0]!.start).toBe(start);
    expect(days[0]!.label).toBe('2024-10-26T12:17:23+02:00');
    const minutes = dynamicSlices('minute', start, start + 150_000, 'UTC');
    expect(minutes.map((slice) => slice.end - slice.start)).toEqual([60_000, 60_000, 60_000]);
  });

  it('step months and years by the calendar, keeping the day where the month has it', () => {
    const months = dynamicSlices('month', at('2024-01-31T10:00:00Z'), at('2024-05-01T00:00:00Z'), 'UTC');
    expect(months.map((slice) => new Date(slice.end).toISOString())).toEqual([
      '2024-02-29T10:00:00.000Z',
      '2024-03-31T10:00:00.000Z',
      '2024-04-30T10:00:00.000Z',
      '2024-05-31T10:00:00.000Z',
    ]);
    const years = dynamicSlices('year', at('2024-02-29T00:00:00Z'), at('2025-06-01T00:00:00Z'), 'UTC');
    expect(years.map((slice) => new Date(slice.end).toISOString().slice(0, 10))).toEqual(['2025-02-28', '2026-02-28']);
  });
});
