import { describe, expect, it } from 'vitest';
import { decodeStatisticsChoice, encodeStatisticsChoice } from './statistics-link';

describe('statistics choice in the link', () => {
  it('round-trips, leaving out what is not given', () => {
    const full = { statistics: ['p99', 'rms'], timeslice: 'hour', timeslice_is_static: false, start_date: '2024-06-01T10:00', end_date: '2024-06-08', time_zone: 'Europe/Paris' };
    expect(encodeStatisticsChoice(full)).toBe('p99,rms;hour;dynamic;2024-06-01T10:00;2024-06-08;Europe/Paris');
    expect(decodeStatisticsChoice(encodeStatisticsChoice(full))).toEqual(full);
    expect(encodeStatisticsChoice({ statistics: ['max'] })).toBe('max');
    expect(decodeStatisticsChoice('max')).toEqual({ statistics: ['max'] });
    expect(decodeStatisticsChoice('p99;minute')).toEqual({ statistics: ['p99'], timeslice: 'minute' }); // the missing flag is reported when computed
  });
});
