/**
 * Bad statistics parameters: status 400, with the parameter at fault and a message that says what to send instead.
 * Each bad combination has its own subclass, so a caller (the view, the notebook kernel) can tell them apart by name.
 */
export class StatisticsParameterError extends Error {
  override name = 'StatisticsParameterError';
  readonly status = 400;
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
  }
}

/** end_date is not after start_date. */
export class EndBeforeStartError extends StatisticsParameterError {
  override name = 'EndBeforeStartError';
}

/** A timeslice was given without timeslice_is_static (static calendar slices or dynamic fixed lengths?). */
export class StaticFlagMissingError extends StatisticsParameterError {
  override name = 'StaticFlagMissingError';
}

export class UnknownStatisticError extends StatisticsParameterError {
  override name = 'UnknownStatisticError';
}

export class UnknownTimesliceError extends StatisticsParameterError {
  override name = 'UnknownTimesliceError';
}

/** A date that is not ISO 8601 (2024-06-01, 2024-06-01T13:00, 2024-06-01T13:00:00Z, …+02:00). */
export class NotIsoDateError extends StatisticsParameterError {
  override name = 'NotIsoDateError';
}

export class UnknownTimeZoneError extends StatisticsParameterError {
  override name = 'UnknownTimeZoneError';
}

/** More slices than a result may hold (minutes over years): a longer timeslice or a shorter range is needed. */
export class TooManySlicesError extends StatisticsParameterError {
  override name = 'TooManySlicesError';
}

/** The array has no time axis (no start_time and sampling_rate, nor a time channel), so it cannot be cut into timeslices. */
export class NoTimeAxisError extends StatisticsParameterError {
  override name = 'NoTimeAxisError';
}

/** The array's time channel cannot cut it into timeslices: a time decreases or is missing (NaN). */
export class TimeChannelError extends StatisticsParameterError {
  override name = 'TimeChannelError';
}
