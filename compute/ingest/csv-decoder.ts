import { IngestError } from './ingest-error';

/** A time column is recognised by its header name. */
const TIME_NAMES = /^(time|t|timestamp|seconds|time_s|date|datetime)$/i;
const DELIMITERS = [',', ';', '\t'];

export interface CsvFormat {
  delimiter: string;
  /** Names of the value columns (from the header row, else column_1…). */
  labels: string[];
  channels: number;
  /** Whether the first column is a time column (seconds, or ISO dates). */
  timeColumn: boolean;
  /** From the first two rows' times, when there is a time column. */
  sampleRate: number | undefined;
  startTime: string | undefined;
}

/**
 * Decodes CSV fed in pieces of any size: an optional header row, the delimiter guessed from the first line
 * (comma, semicolon or tab), an optional time column (by its header name: time, t, timestamp… — seconds or ISO dates)
 * from which the sampling rate is taken. Value columns come out interleaved as float32. A ragged or non-numeric row is
 * an IngestError naming the file, the line and the column.
 */
export class CsvDecoder {
  format: CsvFormat | undefined;
  private partial = '';
  private line = 0;
  private readonly text = new TextDecoder();
  private firstTime: number | undefined;
  private rows = 0;

  constructor(private readonly file: string) {}

  push(bytes: Uint8Array): Float32Array {
    const lines = (this.partial + this.text.decode(bytes, { stream: true })).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    return this.decodeLines(lines);
  }

  /** Decodes the last line; an empty file or one with a header only is an error. */
  finish(): Float32Array {
    const rest = this.partial + this.text.decode();
    this.partial = '';
    const frames = this.decodeLines(rest === '' ? [] : [rest]);
    if (!this.format) throw new IngestError(this.file, 'the file is empty.');
    if (this.rows === 0) throw new IngestError(this.file, 'there are no data rows after the header.');
    return frames;
  }

  private decodeLines(lines: string[]): Float32Array {
    const values: number[] = [];
    for (const raw of lines) {
      this.line += 1;
      const text = raw.trim();
      if (text === '' || text.startsWith('#')) continue;
      if (!this.format) {
        this.format = this.readFirstLine(text);
        if (isHeader(text, this.format.delimiter)) continue;
      }
      this.readRow(text, values);
    }
    return Float32Array.from(values);
  }

  private readFirstLine(text: string): CsvFormat {
    const delimiter = DELIMITERS.map((candidate) => [candidate, text.split(candidate).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
    const cells = text.split(delimiter).map((cell) => cell.trim().replace(/^"|"$/g, ''));
    const header = isHeader(text, delimiter);
    const timeColumn = header ? TIME_NAMES.test(cells[0]!) : false;
    const labels = (header ? cells : cells.map((_, index) => `column_${index + 1}`)).slice(timeColumn ? 1 : 0);
    if (labels.length === 0) throw new IngestError(this.file, 'there is a time column but no value column.', { line: this.line });
    return { delimiter, labels, channels: labels.length, timeColumn, sampleRate: undefined, startTime: undefined };
  }

  private readRow(text: string, values: number[]): void {
    const format = this.format!;
    const cells = text.split(format.delimiter);
    const expected = format.channels + (format.timeColumn ? 1 : 0);
    if (cells.length !== expected) {
      throw new IngestError(this.file, `this row has ${cells.length} columns where the first has ${expected}.`, { line: this.line });
    }
    if (format.timeColumn) this.readTime(cells[0]!.trim().replace(/^"|"$/g, ''));
    for (let column = format.timeColumn ? 1 : 0; column < cells.length; column += 1) {
      const cell = cells[column]!.trim().replace(/^"|"$/g, '');
      const value = cell === '' || /^nan$/i.test(cell) ? NaN : Number(cell);
      if (Number.isNaN(value) && cell !== '' && !/^nan$/i.test(cell)) {
        throw new IngestError(this.file, `column ${column + 1} holds “${cell.slice(0, 40)}”, which is not a number.`, { line: this.line });
      }
      values.push(value);
    }
    this.rows += 1;
  }

  /** Learns the sampling rate from the first two times (seconds or ISO dates). */
  private readTime(cell: string): void {
    const format = this.format!;
    const seconds = Number(cell);
    const time = Number.isNaN(seconds) ? Date.parse(cell) / 1000 : seconds;
    if (Number.isNaN(time)) throw new IngestError(this.file, `the time “${cell.slice(0, 40)}” is neither seconds nor a date.`, { line: this.line });
    if (this.rows === 0) {
      this.firstTime = time;
      if (Number.isNaN(seconds)) format.startTime = new Date(time * 1000).toISOString();
    } else if (this.rows === 1 && format.sampleRate === undefined) {
      const step = time - (this.firstTime as number);
      if (!(step > 0)) throw new IngestError(this.file, 'the times do not increase.', { line: this.line });
      format.sampleRate = 1 / step;
    }
  }
}

function isHeader(text: string, delimiter: string): boolean {
  return text.split(delimiter).some((cell) => {
    const trimmed = cell.trim().replace(/^"|"$/g, '');
    return trimmed !== '' && Number.isNaN(Number(trimmed)) && Number.isNaN(Date.parse(trimmed)) && !/^nan$/i.test(trimmed);
  });
}
