import { StorageError } from '../../../storage/storage-error';
import { checkCalibration, type Calibration } from '../../../compute/signals/calibration';
import type { SignalBinding } from '../../../compute/signals/signal-document';

/** A binding as the binding form's fields hold it (all text, as inputs give them). */
export interface BindingFields {
  validity: 'experiments' | 'time';
  experiments: string[];
  /** datetime-local values (local time), `to` may be ''. */
  from: string;
  to: string;
  arrayMode: 'id' | 'reference';
  array: string;
  reference: string;
  /** 1-based, as people count channels. */
  channel: string;
  kind: Calibration['kind'];
  gain: string;
  offset: string;
  /** "c0, c1, c2…" (lowest power first). */
  coefficients: string;
  /** "raw:value, raw:value…". */
  points: string;
  rawUnits: string;
  calibratedUnits: string;
  note: string;
}

export type BindingBody = Omit<SignalBinding, 'id' | 'since'>;

const refuse = (problem: string) => new StorageError(400, problem);

/** The binding the fields describe; a 400 saying which field to fix otherwise. */
export function bindingFromFields(fields: BindingFields): BindingBody {
  let valid: SignalBinding['valid'];
  if (fields.validity === 'experiments') {
    if (fields.experiments.length === 0) throw refuse('Tick at least one experiment the binding holds for, or give a time range.');
    valid = { experiments: [...fields.experiments] };
  } else {
    const from = fromLocalTime(fields.from);
    if (!from) throw refuse('Give the time the binding holds from.');
    const to = fields.to.trim() ? fromLocalTime(fields.to) : undefined;
    if (fields.to.trim() && !to) throw refuse(`“${fields.to}” is not a time: give the end of the binding's time range, or leave it empty.`);
    if (to && !(Date.parse(from) < Date.parse(to))) throw refuse('The end of the time range must come after its start.');
    valid = to ? { from, to } : { from };
  }
  const array = fields.arrayMode === 'id' ? fields.array.trim() : fields.reference.trim();
  if (!array) throw refuse(fields.arrayMode === 'id' ? 'Choose the array that carries the signal.' : 'Give the reference of the array that carries the signal (the same every experiment).');
  const channel = Number(fields.channel);
  if (!Number.isSafeInteger(channel) || channel < 1) throw refuse(`Channel “${fields.channel}” is not a whole number from 1.`);
  const calibration = checkCalibration(calibrationOf(fields), (problem) => refuse(`The calibration ${problem}.`));
  return {
    valid,
    array: fields.arrayMode === 'id' ? { id: array } : { reference: array },
    channel: channel - 1,
    calibration,
    units: { raw: fields.rawUnits.trim(), calibrated: fields.calibratedUnits.trim() },
    ...(fields.note.trim() ? { note: fields.note.trim() } : {}),
  };
}

function calibrationOf(fields: BindingFields): unknown {
  const numbers = (text: string) => text.split(/[,;\s]+/).filter((part) => part !== '').map(Number);
  switch (fields.kind) {
    case 'linear':
      return { kind: 'linear', gain: fields.gain.trim() === '' ? NaN : Number(fields.gain), offset: fields.offset.trim() === '' ? 0 : Number(fields.offset) };
    case 'polynomial':
      return { kind: 'polynomial', coefficients: numbers(fields.coefficients) };
    case 'table':
      return {
        kind: 'table',
        points: fields.points
          .split(/[,;\n]+/)
          .filter((part) => part.trim() !== '')
          .map((pair) => pair.split(':').map((part) => (part.trim() === '' ? NaN : Number(part)))),
      };
  }
}

/** The fields showing a binding (or a new one's defaults). */
export function fieldsFromBinding(binding: SignalBinding | undefined, defaultUnits = ''): BindingFields {
  const calibration = binding?.calibration;
  return {
    validity: binding && 'from' in binding.valid ? 'time' : 'experiments',
    experiments: binding && 'experiments' in binding.valid ? [...binding.valid.experiments] : [],
    from: binding && 'from' in binding.valid ? toLocalTime(binding.valid.from) : '',
    to: binding && 'from' in binding.valid && binding.valid.to ? toLocalTime(binding.valid.to) : '',
    arrayMode: binding && 'reference' in binding.array ? 'reference' : 'id',
    array: binding && 'id' in binding.array ? binding.array.id : '',
    reference: binding && 'reference' in binding.array ? binding.array.reference : '',
    channel: String((binding?.channel ?? 0) + 1),
    kind: calibration?.kind ?? 'linear',
    gain: calibration?.kind === 'linear' ? String(calibration.gain) : '1',
    offset: calibration?.kind === 'linear' ? String(calibration.offset) : '0',
    coefficients: calibration?.kind === 'polynomial' ? calibration.coefficients.join(', ') : '',
    points: calibration?.kind === 'table' ? calibration.points.map(([raw, value]) => `${raw}:${value}`).join(', ') : '',
    rawUnits: binding?.units.raw ?? '',
    calibratedUnits: binding?.units.calibrated ?? defaultUnits,
    note: binding?.note ?? '',
  };
}

/** An ISO time from a datetime-local value (the device's time zone); undefined when it is not one. */
export function fromLocalTime(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.trim())) return undefined;
  const time = new Date(value.trim());
  return Number.isFinite(time.getTime()) ? time.toISOString() : undefined;
}

/** A datetime-local value (the device's time zone, to the second) of an ISO time. */
export function toLocalTime(iso: string): string {
  const time = new Date(iso);
  if (!Number.isFinite(time.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}
