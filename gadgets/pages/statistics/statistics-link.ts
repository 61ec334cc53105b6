import type { StatisticsParameters } from '../../../compute/statistics/parameters';

/**
 * The statistics choice in a deep link (`#/array/<id>?stats=p99,rms;hour;static;2024-06-01;2024-06-08;Europe/Paris`):
 * statistics; timeslice (empty: the whole range); static | dynamic; start; end; time zone. Empty fields are left out.
 */
export function encodeStatisticsChoice(parameters: StatisticsParameters): string {
  const statistics = typeof parameters.statistics === 'string' ? parameters.statistics : parameters.statistics.join(',');
  const kind = parameters.timeslice ? (parameters.timeslice_is_static === false ? 'dynamic' : 'static') : '';
  return [statistics, parameters.timeslice ?? '', kind, parameters.start_date ?? '', parameters.end_date ?? '', parameters.time_zone ?? ''].join(';').replace(/;+$/, '');
}

/** The parameters a `stats` link value asks for (checked only when computed, so a bad link shows what to fix). */
export function decodeStatisticsChoice(value: string): StatisticsParameters {
  const [statistics = '', timeslice = '', kind = '', start = '', end = '', zone = ''] = value.split(';');
  return {
    statistics: statistics.split(',').filter((name) => name !== ''),
    ...(timeslice ? { timeslice, ...(kind === 'static' || kind === 'dynamic' ? { timeslice_is_static: kind === 'static' } : {}) } : {}),
    ...(start ? { start_date: start } : {}),
    ...(end ? { end_date: end } : {}),
    ...(zone ? { time_zone: zone } : {}),
  };
}
