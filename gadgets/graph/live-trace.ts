import { LitElement, css, html } from 'lit';

/**
 * A live scrolling trace of the last `seconds` of a signal arriving in blocks (`push`), drawn as one min–max line per
 * pixel column, so a recording can be watched as it happens without reading storage. Newest samples on the right.
 */
export class LiveTrace extends LitElement {
  static override properties = { sampleRate: { type: Number, attribute: 'sample-rate' }, seconds: { type: Number } };
  declare sampleRate: number;
  declare seconds: number;
  private ring = new Float32Array(0);
  private written = 0;
  private frame = 0;

  constructor() {
    super();
    this.sampleRate = 48_000;
    this.seconds = 5;
  }

  /** Adds a block of samples (interleaved when `channels` > 1: the first channel is shown). */
  push(samples: Float32Array, channels = 1): void {
    const size = Math.max(1, Math.round(this.sampleRate * this.seconds));
    if (this.ring.length !== size) {
      this.ring = new Float32Array(size);
      this.written = 0;
    }
    for (let index = 0; index < samples.length; index += channels) this.ring[this.written++ % size] = samples[index]!;
    this.frame ||= requestAnimationFrame(() => this.draw());
  }

  /** Starts afresh (a new recording). */
  clear(): void {
    this.written = 0;
    this.ring.fill(0);
    this.draw();
  }

  private draw(): void {
    this.frame = 0;
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const width = (canvas.width = Math.max(1, Math.round(canvas.clientWidth * devicePixelRatio)));
    const height = (canvas.height = Math.max(1, Math.round(canvas.clientHeight * devicePixelRatio)));
    const context = canvas.getContext('2d')!;
    context.clearRect(0, 0, width, height);
    const style = getComputedStyle(this);
    context.strokeStyle = style.getPropertyValue('--trace').trim() || '#0f5c6e';
    context.lineWidth = Math.max(1, devicePixelRatio);
    const size = this.ring.length;
    const shown = Math.min(this.written, size);
    if (shown === 0) return;
    const perColumn = size / width;
    const firstColumn = Math.floor((size - shown) / perColumn); // a young recording fills from the right
    context.beginPath();
    for (let column = firstColumn; column < width; column += 1) {
      let min = Infinity;
      let max = -Infinity;
      const from = Math.floor(column * perColumn) - (size - shown);
      const to = Math.max(from + 1, Math.floor((column + 1) * perColumn) - (size - shown));
      for (let at = Math.max(0, from); at < to && at < shown; at += 1) {
        const value = this.ring[(this.written - shown + at) % size]!;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      if (min > max) continue;
      const x = column + 0.5;
      context.moveTo(x, (1 - Math.min(1, max)) * (height / 2));
      context.lineTo(x, (1 - Math.max(-1, min)) * (height / 2) + 1);
    }
    context.stroke();
  }

  override render() {
    return html`<canvas role="img" aria-label=${`Live signal, the last ${this.seconds} seconds`}></canvas>`;
  }

  static override styles = css`
    :host {
      display: block;
      height: 10rem;
      border: 1px solid var(--border, #c9d6da);
      border-radius: 6px;
      background: var(--surface, #fff);
    }
    canvas {
      width: 100%;
      height: 100%;
      display: block;
    }
  `;
}

customElements.define('fs-live-trace', LiveTrace);
