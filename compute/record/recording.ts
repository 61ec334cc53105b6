import { BehaviorSubject } from 'rxjs';
import { DATA_ATTACHMENT, isStorageError, updateDocument, type Doc, type ProcessStep, type Storage } from '../../storage';
import { appendStep } from '../chain/operation';
import { appendSamples, completeDataArray, createDataArray, getDataArray, sampleCount } from '../../storage/arrays';
import processorUrl from './capture-processor.ts?worker&url';

/** What the page shows while recording. */
export interface RecordingProgress {
  state: 'recording' | 'paused' | 'stopped';
  /** Samples recorded so far (per channel). */
  samples: number;
  /** Of those, samples already written to storage (what a reload keeps). */
  saved: number;
  /** Level of the last block, in dB full scale (−∞ for silence). */
  rmsDb: number;
  peakDb: number;
  /** Why the recording stopped by itself (storage full, microphone gone), if it did. */
  problem?: string;
}

/** How often gathered samples are written to the stream: what a crash or a closed tab can lose at most. */
const WRITE_EVERY_MS = 500;
/** The array is extended in batches of this many seconds (and at pause and stop; a reload completes it from the stream). */
const ARRAY_BATCH_SECONDS = 2;

/** The Web Lock a tab holds while it records a stream: a stream marked 'recording' without it was interrupted. */
export function recordingLockName(streamId: string): string {
  return `fieldscope-recording-${streamId}`;
}

/**
 * A microphone recording (getUserMedia + AudioWorklet) appended live to a Data Stream (the raw float32 samples, so it
 * decodes anywhere) and to a Data Array (for graphs and spectra), every half second: a reload or a crash keeps what
 * was written. `progress` drives the level meter; `blocks` feeds a live trace. Pause and resume keep appending to
 * the same documents; `stop` completes them.
 */
export class Recording {
  readonly progress: BehaviorSubject<RecordingProgress>;
  /** Each block of samples as it arrives (interleaved when several channels). */
  onBlock: ((samples: Float32Array, channels: number) => void) | undefined;
  /** Blocks not written yet, and blocks written to the stream but not yet to the array. */
  private pending: Float32Array[] = [];
  private forArray: Float32Array[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | undefined;
  private releaseLock: (() => void) | undefined;
  private readonly pauses: number[] = [];
  private answered: (() => void) | undefined;
  private closing = false;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly storage: Storage,
    readonly streamId: string,
    readonly arrayId: string,
    readonly sampleRate: number,
    private readonly context: AudioContext,
    private readonly media: MediaStream,
    private readonly node: AudioWorkletNode,
  ) {
    this.progress = new BehaviorSubject<RecordingProgress>({ state: 'recording', samples: 0, saved: 0, rmsDb: -Infinity, peakDb: -Infinity });
  }

  /** Asks for the microphone and starts recording into new documents. Errors say what to do. */
  static async start(storage: Storage, { title }: { title?: string } = {}): Promise<Recording> {
    const media = await openMicrophone();
    let context: AudioContext | undefined;
    try {
      context = new AudioContext();
      await context.audioWorklet.addModule(processorUrl);
      const source = context.createMediaStreamSource(media);
      const node = new AudioWorkletNode(context, 'fieldscope-capture', { numberOfOutputs: 0, channelCount: 1, channelCountMode: 'explicit' });
      const started = new Date().toISOString();
      const name = title || `Recording ${started.slice(0, 19).replace('T', ' ')}`;
      const streamId = await storage.post({
        portal_type: 'Data Stream',
        title: name,
        reference: `recording-${started}`,
        modification_date: started,
        content_type: 'application/octet-stream',
        raw_format: { dtype: 'float32', channels: 1, sampleRate: context.sampleRate, littleEndian: true },
        status: 'recording',
        start_time: started,
      });
      const arrayId = await createDataArray(storage, {
        title: name,
        reference: `recording-${started}-ch1`,
        dtype: 'float32',
        sampling_rate: context.sampleRate,
        start_time: started,
        units: { y: 'full scale' },
        source: streamId,
        writing: true,
      });
      await updateDocument(storage, streamId, (stream) => ({ ...stream, recording_array: arrayId }));
      const recording = new Recording(storage, streamId, arrayId, context.sampleRate, context, media, node);
      await recording.holdLock();
      node.port.onmessage = (event: MessageEvent<{ channels: number; samples: Float32Array } | { done: 'flush' | 'discard' }>) => recording.receive(event.data);
      source.connect(node);
      recording.timer = setInterval(() => recording.write(), WRITE_EVERY_MS);
      for (const track of media.getAudioTracks()) track.addEventListener('ended', () => void recording.stop('The microphone was disconnected: the recording stopped; what was recorded is kept.'));
      return recording;
    } catch (error) {
      for (const track of media.getTracks()) track.stop();
      await context?.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stops keeping samples for now; what was recorded is written. The microphone and the audio graph keep running (what
   * they hear meanwhile is dropped): suspending the audio context instead does not always come back on resume.
   */
  async pause(): Promise<void> {
    if (this.progress.value.state !== 'recording') return;
    await this.askProcessor('flush');
    this.pauses.push(this.progress.value.samples);
    this.progress.next({ ...this.progress.value, state: 'paused', rmsDb: -Infinity, peakDb: -Infinity });
    this.write(true);
    await this.writing;
  }

  async resume(): Promise<void> {
    if (this.progress.value.state !== 'paused') return;
    await this.askProcessor('discard');
    this.progress.next({ ...this.progress.value, state: 'recording' });
  }

  /**
   * Ends the recording: writes the rest, completes the stream and its array, releases the microphone. Calls after the
   * first (Stop, then leaving the page) wait for the same end.
   */
  stop(problem?: string): Promise<void> {
    this.stopping ??= this.end(problem);
    return this.stopping;
  }

  private async end(problem: string | undefined): Promise<void> {
    if (this.progress.value.state === 'recording') await this.askProcessor('flush');
    this.closing = true; // blocks still on their way are not kept: what was counted is what is written
    clearInterval(this.timer);
    for (const track of this.media.getTracks()) track.stop();
    await this.context.close().catch(() => undefined);
    this.write(true);
    await this.writing;
    try {
      await finishRecording(this.storage, this.streamId, { pauses: this.pauses });
    } finally {
      this.releaseLock?.();
      this.progress.next({ ...this.progress.value, state: 'stopped', rmsDb: -Infinity, peakDb: -Infinity, ...(problem ? { problem } : {}) });
    }
  }

  private receive(message: { channels: number; samples: Float32Array } | { done: 'flush' | 'discard' }): void {
    if ('done' in message) {
      this.answered?.();
      return;
    }
    if (this.progress.value.state !== 'recording' || this.closing) return; // heard while paused, or after Stop
    this.pending.push(message.samples);
    let sum = 0;
    let peak = 0;
    for (const value of message.samples) {
      sum += value * value;
      peak = Math.max(peak, Math.abs(value));
    }
    const frames = message.samples.length / message.channels;
    this.progress.next({ ...this.progress.value, samples: this.progress.value.samples + frames, rmsDb: toDb(Math.sqrt(sum / message.samples.length)), peakDb: toDb(peak) });
    this.onBlock?.(message.samples, message.channels);
  }

  /** Asks the worklet to send (flush) or drop (discard) its partly filled block, and waits (briefly) for its answer. */
  private async askProcessor(request: 'flush' | 'discard'): Promise<void> {
    const answered = new Promise<void>((resolve) => {
      this.answered = resolve;
      setTimeout(resolve, 1000);
    });
    this.node.port.postMessage(request);
    await answered;
    this.answered = undefined;
  }

  /**
   * Appends what has arrived to the stream (cheap: every half second, what a reload keeps) and, in larger batches, to
   * the array (each append also extends its summaries: a fixed cost per call). `all` writes the array's share too.
   */
  private write(all = false): void {
    const samples = joinBlocks(this.pending);
    this.pending = [];
    if (samples.length > 0) this.forArray.push(samples);
    const arrayBatch = all || this.forArray.reduce((sum, block) => sum + block.length, 0) >= ARRAY_BATCH_SECONDS * this.sampleRate ? joinBlocks(this.forArray) : undefined;
    if (arrayBatch) this.forArray = [];
    this.writing = this.writing.then(async () => {
      if (this.progress.value.problem) return;
      try {
        if (samples.length > 0) {
          await this.storage.appendAttachment(this.streamId, 'data', samples, { contentType: 'application/octet-stream' });
          this.progress.next({ ...this.progress.value, saved: this.progress.value.saved + samples.length });
        }
        if (arrayBatch && arrayBatch.length > 0) await appendSamples(this.storage, this.arrayId, arrayBatch);
      } catch (error) {
        const problem = isStorageError(error, 507)
          ? 'The device storage is full: the recording stopped; what was recorded before is kept.'
          : `The recording stopped: ${error instanceof Error ? error.message : String(error)} What was recorded before is kept.`;
        this.progress.next({ ...this.progress.value, problem });
        void this.stop(problem);
      }
    });
  }

  /** Holds this stream's Web Lock until the recording ends, so another tab can tell it is not interrupted. */
  private async holdLock(): Promise<void> {
    if (!('locks' in navigator)) return;
    await new Promise<void>((acquired) => {
      void navigator.locks.request(recordingLockName(this.streamId), () => {
        acquired();
        return new Promise<void>((release) => (this.releaseLock = release));
      });
    });
  }
}

/**
 * Marks a recorded stream complete (its array too) and records the 'record' step. Used at the end of a recording and
 * for recordings interrupted by a reload or a crash, whose appended samples are all kept.
 */
export async function finishRecording(storage: Storage, streamId: string, { pauses = [], interrupted = false }: { pauses?: number[]; interrupted?: boolean } = {}): Promise<void> {
  const stream = await storage.get(streamId);
  const arrayId = String(stream['recording_array'] ?? '');
  if (arrayId) {
    await catchUpArray(storage, streamId, arrayId);
    await completeDataArray(storage, arrayId);
  }
  const finished = new Date().toISOString();
  const step: ProcessStep = {
    name: 'record',
    status: 'done',
    started: String(stream['start_time'] ?? finished),
    finished,
    result: { arrays: arrayId ? [arrayId] : [], ...(pauses.length > 0 ? { pauses } : {}), ...(interrupted ? { interrupted: true } : {}) },
  };
  await updateDocument(storage, streamId, (current, attachments) => {
    const { recording_array: _kept, ...rest } = current as Doc & { recording_array?: string };
    return appendStep({ ...rest, status: 'complete', size: attachments[DATA_ATTACHMENT]?.length ?? 0, modification_date: finished }, step);
  });
}

/** Appends to the array the samples the stream has beyond it (float32, one channel), a piece at a time. */
async function catchUpArray(storage: Storage, streamId: string, arrayId: string): Promise<void> {
  const streamBytes = (await storage.allAttachments(streamId))[DATA_ATTACHMENT]?.length ?? 0;
  const piece = 1 << 20;
  for (let from = sampleCount(await getDataArray(storage, arrayId)) * 4; from < streamBytes; from += piece) {
    const bytes = await storage.getAttachment(streamId, DATA_ATTACHMENT, { start: from, end: Math.min(from + piece, streamBytes), format: 'arraybuffer' });
    await appendSamples(storage, arrayId, new Float32Array(bytes, 0, Math.floor(bytes.byteLength / 4)));
  }
}

function joinBlocks(blocks: Float32Array[]): Float32Array {
  if (blocks.length === 1) return blocks[0]!;
  const joined = new Float32Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    joined.set(block, at);
    at += block.length;
  }
  return joined;
}

async function openMicrophone(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('Recording needs a secure page (https or localhost) in a browser with microphone access.');
  try {
    // The signal as it is: no echo cancellation, noise suppression or automatic gain (they distort measurements).
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
  } catch (error) {
    const name = (error as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') throw new Error('Microphone access was refused: allow the microphone for this site in the browser settings, then try again.');
    if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new Error('No microphone was found: connect one, then try again.');
    if (name === 'NotReadableError') throw new Error('The microphone is busy in another app: close it there, then try again.');
    throw error;
  }
}

function toDb(value: number): number {
  return value > 0 ? 20 * Math.log10(value) : -Infinity;
}
