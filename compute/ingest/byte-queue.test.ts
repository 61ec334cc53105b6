import { describe, expect, it } from 'vitest';
import { ByteQueue } from './byte-queue';

describe('ByteQueue', () => {
  it('gives back the bytes in order across pieces, empty ones included, and leaves the rest queued', () => {
    const queue = new ByteQueue();
    for (const piece of [[1, 2], [], [3], [4, 5, 6], [], [7]]) queue.push(new Uint8Array(piece));
    expect(queue.length).toBe(7);
    expect([...queue.peek(4)]).toEqual([1, 2, 3, 4]);
    expect([...queue.take(1)]).toEqual([1]);
    queue.drop(3);
    expect([...queue.take(2)]).toEqual([5, 6]);
    expect([...queue.takeAll()]).toEqual([7]);
    expect(queue.length).toBe(0);
    expect([...queue.take(3)]).toEqual([]);
  });

  it('hands out a piece as it is when one piece holds the bytes asked for (no copy)', () => {
    const queue = new ByteQueue();
    const piece = new Uint8Array([9, 8, 7, 6]);
    queue.push(piece);
    expect(queue.take(3).buffer).toBe(piece.buffer);
  });

  it('keeps working through many small pieces (used ones are let go)', () => {
    const queue = new ByteQueue();
    for (let index = 0; index < 5000; index += 1) queue.push(new Uint8Array([index & 0xff]));
    let sum = 0;
    for (let index = 0; index < 5000; index += 1) sum += queue.take(1)[0]!;
    expect(sum).toBe(Array.from({ length: 5000 }, (_, index) => index & 0xff).reduce((a, b) => a + b, 0));
  });
});
