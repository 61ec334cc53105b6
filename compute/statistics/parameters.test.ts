import { describe, expect, it } from 'vitest';
import { parseStatisticsParameters, type StatisticsParameters } from './parameters';

const base: StatisticsParameters = { statistics: ['p99'], time_zone: 'UTC' };

describe('statistics parameters', () => {
  it('gives a named 400 error, saying what to fix, for each bad combination', () => {
    const cases: [StatisticsParameters, string, RegExp][] = [
      [{ ...base, start_date: '2024-06-02', end_date: '2024-06-01' }, 'EndBeforeStartError', /must be after start_date/],
      [{ ...base, start_date: '2024-06-01T00:00Z', end_date: '2024-06-01T00:00Z' }, 'EndBeforeStartError', /must be after/],
      [{ ...base, timeslice: 'hour' }, 'StaticFlagMissingError', /timeslice_is_static: true for calendar slices/],
      [{ ...base, statistics: ['p99', 'fastest'] }, 'UnknownStatisticError', /Unknown statistic “fastest”/],
      [{ ...base, statistics: 'p101' }, 'UnknownStatisticError', /p101/],
      [{ ...base, statistics: [] }, 'UnknownStatisticError', /No statistic asked/],
      [{ ...base, timeslice: 'fortnight', timeslice_is_static: true }, 'UnknownTimesliceError', /use one of year, month, week, day, hour, minute/],
      [{ ...base, start_date: '01/06/2024' }, 'NotIsoDateError', /start_date “01\/06\/2024” is not an ISO 8601 date/],
      [{ ...base, end_date: '2023-02-29' }, 'NotIsoDateError', /end_date/],
      [{ ...base, start_date: '2024-06-01T25:00' }, 'NotIsoDateError', /start_date/],
      [{ ...base, time_zone: 'Mars/Olympus' }, 'UnknownTimeZoneError', /IANA name/],
    ];
    for (const [parameters, name, message] of cases) {
      let caught: unknown;
      try {
        parseStatisticsParameters(parameters);
      } catch (error) {
        caught = error;
      }
      expect(caught, name).toMatchObject({ name, status: 400, message: expect.stringMatching(message) });
    }
  });

  it('reads dates without an offset as wall-clock time in the zone, and names quantiles', () => {
    const request = parseStatisticsParameters({
      statistics: 'count, median, q1,q3, p90, p99.9, rms',
      start_date: '2024-06-01',
      end_date: '2024-06-01T13:30:00+02:00',
      timeslice: 'hour',
      timeslice_is_static: false,
      time_zone: 'Europe/Paris',
    });
    expect(request.start).toBe(Date.parse('2024-05-31T22:00:00Z'));
    expect(request.end).toBe(Date.parse('2024-06-01T11:30:00Z'));
    expect([...request.quantiles]).toEqual([['median', 0.5], ['q1', 0.25], ['q3', 0.75], ['p90', 0.9], ['p99.9', 0.999]]);
    expect(request.isStatic).toBe(false);
    expect(parseStatisticsParameters({ statistics: ['max'], start_date: '2024-02-29T12:00:00.250Z' }).start).toBe(Date.parse('2024-02-29T12:00:00.250Z'));
  });
});
