import type { ArraySource } from '../../compute/statistics/array-source';
import { channelCount } from '../../storage/arrays';
import { downloadFile, fileNameOf } from './download-file';

/** CSV export stops here: beyond, a spreadsheet cannot open it anyway; zoom in first. */
export const CSV_MAX_SAMPLES = 2_000_000;
const CHUNK = 1 << 18;

/**
 * Samples [start, end) of anything read like an array as a CSV download: x (time in s with a sampling rate, else the
 * sample index), then one column per channel, each headed by its label and, with `withUnits`, its unit ("I (mA)").
 */
export async function downloadSourceCsv(
  source: ArraySource,
  range: { start: number; end: number },
  toX: (index: number) => number,
  name: string,
  { withUnits = false, signal }: { withUnits?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  const { doc } = source;
  const channels = channelCount(doc);
  const unit = withUnits && doc.units?.y ? ` (${doc.units.y})` : '';
  const labels = Array.from({ length: channels }, (_, c) => `${doc.channel_labels?.[c] ?? `channel_${c + 1}`}${unit}`);
  const header = [doc.sampling_rate ? 'time_s' : 'sample', ...labels.map(csvCell)];
  const parts: string[] = [`${header.join(',')}\n`];
  for (let from = range.start; from < range.end; from += CHUNK) {
    const to = Math.min(from + CHUNK, range.end);
    const values = await source.read(from, to, signal);
    let text = '';
    for (let row = 0; row < values.length / channels; row += 1) {
      text += String(toX(from + row));
      for (let channel = 0; channel < channels; channel += 1) text += `,${values[row * channels + channel]}`;
      text += '\n';
    }
    parts.push(text);
  }
  downloadFile(parts, 'text/csv', `${fileNameOf(name)}_${range.start}-${range.end}.csv`);
}

/** A header cell: quoted when it holds a comma, quote or line break. */
function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
