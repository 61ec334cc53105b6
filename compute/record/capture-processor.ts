// AudioWorklet processor (its own bundle, loaded with audioWorklet.addModule): hands the microphone's samples to the
// page in blocks of BLOCK_FRAMES frames (interleaved float32), instead of one message per 128-frame render quantum.

declare abstract class AudioWorkletProcessor {
  constructor();
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

/** About 85 ms at 48 kHz: few messages, small latency for the level meter and the live trace. */
const BLOCK_FRAMES = 4096;

class CaptureProcessor extends AudioWorkletProcessor {
  private block: Float32Array | undefined;
  private filled = 0;
  private channels = 0;

  constructor() {
    super();
    // 'flush': send what is gathered now, then say so (before a pause or the end of a recording, nothing is lost).
    // 'discard': drop what is gathered (heard during a pause), then say so.
    this.port.onmessage = (event: MessageEvent<'flush' | 'discard'>) => {
      if (event.data === 'flush') this.flush();
      else this.filled = 0;
      this.port.postMessage({ done: event.data });
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (!input || input.length === 0) return true; // no input connected yet
    if (this.channels !== input.length) {
      this.flush();
      this.channels = input.length;
      this.block = new Float32Array(BLOCK_FRAMES * this.channels);
    }
    const frames = input[0]!.length;
    for (let frame = 0; frame < frames; frame += 1) {
      for (let channel = 0; channel < this.channels; channel += 1) this.block![this.filled * this.channels + channel] = input[channel]![frame]!;
      this.filled += 1;
      if (this.filled === BLOCK_FRAMES) this.flush();
    }
    return true;
  }

  private flush(): void {
    if (!this.block || this.filled === 0) return;
    const samples = this.block.slice(0, this.filled * this.channels);
    this.port.postMessage({ channels: this.channels, samples }, [samples.buffer]);
    this.filled = 0;
  }
}

registerProcessor('fieldscope-capture', CaptureProcessor);
