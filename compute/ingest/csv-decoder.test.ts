import { describe, expect, it } from 'vitest';
import { CsvDecoder } from './csv-decoder';

const encoder = new TextEncoder();

/** Decodes `text` cut into pieces of `piece` bytes; returns the values and the format. */
function decode(text: string, piece = Infinity) {
  const bytes = encoder.encode(text);
  const decoder = new CsvDecoder('log.csv');
  const values: number[] = [];
  for (let at = 0; at < bytes.length; at += Math.min(piece, bytes.length)) values.push(...decoder.push(bytes.subarray(at, at + piece)));
  values.push(...decoder.finish());
  return { values, format: decoder.format! };
}

describe('CSV line ends', () => {
  it('reads CR-only line ends (old Mac, some loggers) like LF and CRLF, whatever the pieces', () => {
    for (const end of ['\n', '\r\n', '\r']) {
      for (const piece of [1, 2, 5, Infinity]) {
        const { values, format } = decode(['time,a,b', '0,1,2', '0.5,3,4', '1,5,6'].join(end) + end, piece);
        expect(values, JSON.stringify(end)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(format).toMatchObject({ channels: 2, sampleRate: 2, labels: ['a', 'b'] });
      }
    }
  });

  it('counts a CRLF split between two pieces as one line break (error lines stay right)', () => {
    const bytes = encoder.encode('a,b\r\n1,2\r\n3\r\n');
    const decoder = new CsvDecoder('log.csv');
    decoder.push(bytes.subarray(0, 4));
    decoder.push(bytes.subarray(4, 4));
    decoder.push(bytes.subarray(4, 9));
    expect(() => {
      decoder.push(bytes.subarray(9));
      decoder.finish();
    }).toThrow('log.csv (line 3): this row has 1 columns where the first has 2.');
  });

  it('keeps each row’s time and tells whether the times keep the first step', () => {
    const decoder = new CsvDecoder('log.csv');
    decoder.push(encoder.encode('time,a\n0,1\n0.1,2\n0.2,3\n'));
    expect(Array.from(decoder.takeTimes())).toEqual([0, 0.1, 0.2]);
    expect(decoder.format!.evenTimes).toBe(true);
    decoder.push(encoder.encode('0.30001,4\n'));
    expect(decoder.format!.evenTimes).toBe(false); // 10 µs off a 0.1 s step (more than a millionth of it)
    decoder.finish();
    expect(Array.from(decoder.takeTimes())).toEqual([0.30001]);
    expect(decode('a,b\n1,2\n').format).toMatchObject({ timeColumn: false, evenTimes: true, firstTime: undefined });
  });

  it('keeps empty cells at the end of a tab-separated row', () => {
    expect(decode('a\tb\tc\n1\t\t\n2\t3\t4\n').values).toEqual([1, NaN, NaN, 2, 3, 4]);
  });
});

describe('CSV files that must be refused', () => {
  it('refuses a time step that makes the sampling rate infinite', () => {
    expect(() => decode('time,a\n0,1\n1e-320,2\n')).toThrow('log.csv (line 3): the time step of 1e-320 s between the first two rows is too small to give a sampling rate');
    expect(() => decode('time,a\n0,1\nInfinity,2\n')).toThrow('log.csv (line 3): the time “Infinity” is neither seconds nor a date.');
  });

  it('refuses more than 1024 value columns before decoding a row', () => {
    expect(() => decode(`${','.repeat(1024)}\n`)).toThrow('log.csv (line 1): the first row has 1025 value columns; at most 1024 channels can be imported.');
    expect(decode(`${Array.from({ length: 1024 }, (_, i) => i).join(',')}\n`).format.channels).toBe(1024);
  });

  it('refuses a line over 1 MiB without a break as soon as it is that long, in any pieces', () => {
    const decoder = new CsvDecoder('blob.csv');
    decoder.push(encoder.encode('a,b\n'));
    const piece = encoder.encode('1'.repeat(65536));
    let refused: unknown;
    let pushed = 0;
    try {
      for (; pushed < 64; pushed += 1) decoder.push(piece); // 4 MiB in all, were it accepted
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).toContain('blob.csv (line 2): this line is longer than 1048576 characters without a line break');
    expect(pushed).toBe(16); // the 17th piece passes 1 MiB
    expect(() => decode(`a\n${'1'.repeat((1 << 20) + 1)}\n`)).toThrow('log.csv (line 2): this line is longer than 1048576 characters');
  });
});
