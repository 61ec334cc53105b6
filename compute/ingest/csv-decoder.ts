import { IngestError } from './ingest-error';
import { MAX_CHANNELS } from './channel-limit';

/** A time column is recognised by its header name. */
const TIME_NAMES = /^(time|t|timestamp|seconds|time_s|date|datetime)$/i;
const DELIMITERS = [',', ';', '\t'];
/**
 * The longest line accepted, in characters: a row of MAX_CHANNELS numbers written in full is about 25 KiB, so 1 MiB
 * without a line break is not a CSV of samples (and bounds what is held while waiting for the break).
 */
const MAX_LINE_CHARS = 1 << 20;
/** Line breaks: LF, CRLF, or CR alone (old Mac and some loggers). */
const LINE_BREAK = /\r\n?|\n/g;

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
  /** The first row's time in seconds (since 1970 for dates), when there is a time column. */
  firstTime: number | undefined;
  /** Whether every time step so far is the first one (within a millionth of it): false, the rows carry their own times. */
  evenTimes: boolean;
}

/** Steps differing from the first by more than this fraction of it make the times uneven. */
const EVEN_TOLERANCE = 1e-6;

/**
 * Decodes CSV fed in pieces of any size: an optional header row, the delimiter guessed from the first line
 * (comma, semicolon or tab), an optional time column (by its header name: time, t, timestamp… — seconds or ISO dates)
 * from which the sampling rate is taken (each row's time is kept too, see `takeTimes`, for times not evenly spaced). Lines end with LF, CRLF or CR. Value columns come out interleaved as float32.
 * A ragged or non-numeric row, more than MAX_CHANNELS columns or a line over 1 MiB is an IngestError naming the file,
 * the line and the column.
 */
export class CsvDecoder {
  format: CsvFormat | undefined;
  /** The start of a line whose break has not arrived: its pieces, joined once the line is whole. */
  private partial: string[] = [];
  private partialLength = 0;
  /** The last piece ended with CR: a LF starting the next one belongs to the same line break. */
  private afterCarriageReturn = false;
  private line = 0;
  private readonly text = new TextDecoder();
  private previousTime: number | undefined;
  private rows = 0;
  /** The times (seconds) of the rows decoded since the last `takeTimes`. */
  private times: number[] = [];

  constructor(private readonly file: string) {}

  push(bytes: Uint8Array): Float32Array {
    return this.decodeLines(this.splitLines(this.text.decode(bytes, { stream: true })));
  }

  /** The times (seconds, since 1970 for dates) of the rows returned since the last call; empty without a time column. */
  takeTimes(): Float64Array {
    const times = Float64Array.from(this.times);
    this.times = [];
    return times;
  }

  /** Decodes the last line; an empty file or one with a header only is an error. */
  finish(): Float32Array {
    const lines = this.splitLines(this.text.decode());
    if (this.partialLength > 0) lines.push(this.partial.join(''));
    this.partial = [];
    this.partialLength = 0;
    const frames = this.decodeLines(lines);
    if (!this.format) throw new IngestError(this.file, 'the file is empty.');
    if (this.rows === 0) throw new IngestError(this.file, 'there are no data rows after the header.');
    return frames;
  }

  /** The lines `text` completes; the start of an unfinished one is kept (in pieces: joining on every piece is quadratic). */
  private splitLines(text: string): string[] {
    const lines: string[] = [];
    let from = this.afterCarriageReturn && text.startsWith('\n') ? 1 : 0;
    if (text.length > 0) this.afterCarriageReturn = text.endsWith('\r');
    LINE_BREAK.lastIndex = from;
    for (let found = LINE_BREAK.exec(text); found; found = LINE_BREAK.exec(text)) {
      this.partial.push(text.slice(from, found.index));
      lines.push(this.partial.join(''));
      this.partial = [];
      this.partialLength = 0;
      from = LINE_BREAK.lastIndex;
    }
    if (from < text.length) {
      this.partial.push(text.slice(from));
      this.partialLength += text.length - from;
      if (this.partialLength > MAX_LINE_CHARS) this.lineTooLong(this.line + lines.length + 1);
    }
    return lines;
  }

  private lineTooLong(line: number): never {
    throw new IngestError(this.file, `this line is longer than ${MAX_LINE_CHARS} characters without a line break: this is not a CSV file of samples.`, { line });
  }

  private decodeLines(lines: string[]): Float32Array {
    const values: number[] = [];
    for (const raw of lines) {
      this.line += 1;
      if (raw.length > MAX_LINE_CHARS) this.lineTooLong(this.line);
      // Spaces around a line go; a tab does not when it separates the columns (trailing empty cells).
      const text = this.format?.delimiter === '\t' ? raw.replace(/^ +| +$/g, '') : raw.trim();
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
    if (labels.length > MAX_CHANNELS) throw new IngestError(this.file, `the first row has ${labels.length} value columns; at most ${MAX_CHANNELS} channels can be imported.`, { line: this.line });
    return { delimiter, labels, channels: labels.length, timeColumn, sampleRate: undefined, startTime: undefined, firstTime: undefined, evenTimes: true };
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

  /** Keeps each row's time (seconds or ISO dates); learns the sampling rate from the first two, and whether the rest keep its step. */
  private readTime(cell: string): void {
    const format = this.format!;
    const seconds = Number(cell);
    const time = Number.isNaN(seconds) ? Date.parse(cell) / 1000 : seconds;
    if (!Number.isFinite(time)) throw new IngestError(this.file, `the time “${cell.slice(0, 40)}” is neither seconds nor a date.`, { line: this.line });
    this.times.push(time);
    const previous = this.previousTime;
    this.previousTime = time;
    if (this.rows === 0) {
      format.firstTime = time;
      if (Number.isNaN(seconds)) format.startTime = new Date(time * 1000).toISOString();
    } else if (this.rows > 1 && format.evenTimes && Math.abs(time - previous! - 1 / format.sampleRate!) > EVEN_TOLERANCE / format.sampleRate!) {
      format.evenTimes = false;
    } else if (this.rows === 1 && format.sampleRate === undefined) {
      const step = time - (format.firstTime as number);
      if (!(step > 0)) throw new IngestError(this.file, 'the times do not increase.', { line: this.line });
      const rate = 1 / step;
      if (!Number.isFinite(rate)) {
        throw new IngestError(this.file, `the time step of ${step} s between the first two rows is too small to give a sampling rate: check the time column's unit.`, { line: this.line });
      }
      format.sampleRate = rate;
    }
  }
}

function isHeader(text: string, delimiter: string): boolean {
  return text.split(delimiter).some((cell) => {
    const trimmed = cell.trim().replace(/^"|"$/g, '');
    return trimmed !== '' && Number.isNaN(Number(trimmed)) && Number.isNaN(Date.parse(trimmed)) && !/^nan$/i.test(trimmed);
  });
}
