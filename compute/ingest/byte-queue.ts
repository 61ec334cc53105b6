/**
 * Bytes arriving in pieces, kept as the pieces until a decoder has as many as it needs, then joined once. Joining the
 * buffer with each new piece instead copies everything gathered so far every time: quadratic (a 32 MiB header in
 * 64 KiB pieces copied 8 GiB). Pieces are kept by reference, not copied: the caller must not reuse their memory.
 */
export class ByteQueue {
  private pieces: Uint8Array[] = [];
  /** Index of the first piece still queued (pieces before it are used up; an index, as shift() is linear). */
  private head = 0;
  /** Bytes queued. */
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pieces.push(bytes);
    this.length += bytes.length;
  }

  /** The first `count` bytes (at most `length`) as one array, removed from the queue. */
  take(count: number): Uint8Array {
    const out = this.peek(count); // in one piece: a view, no copy
    this.drop(out.length);
    return out;
  }

  /** The first `count` bytes (at most `length`), left in the queue. */
  peek(count: number): Uint8Array {
    const first = this.pieces[this.head];
    if (first && first.length >= count) return first.subarray(0, count);
    const out = new Uint8Array(Math.min(count, this.length));
    let at = 0;
    for (let index = this.head; at < out.length; index += 1) {
      const piece = this.pieces[index]!;
      const used = Math.min(piece.length, out.length - at);
      out.set(piece.subarray(0, used), at);
      at += used;
    }
    return out;
  }

  /** Everything queued, as one array; the queue is then empty. */
  takeAll(): Uint8Array {
    return this.take(this.length);
  }

  /** Removes the first `count` bytes (at most `length`) without reading them. */
  drop(count: number): void {
    let left = Math.min(count, this.length);
    this.length -= left;
    while (left > 0) {
      const piece = this.pieces[this.head]!;
      if (piece.length > left) {
        this.pieces[this.head] = piece.subarray(left);
        return;
      }
      left -= piece.length;
      this.head += 1;
    }
    if (this.head === this.pieces.length || this.head > 1024) {
      this.pieces = this.pieces.slice(this.head); // let the used pieces go
      this.head = 0;
    }
  }
}
