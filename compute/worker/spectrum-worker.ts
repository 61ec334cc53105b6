// A module worker running Welch's method off the main thread: the page sends the parameters, then chunks of samples
// (transferred, not copied; each answered 'taken'), then 'finish' or 'partial'; the worker answers with the spectrum,
// its part's sums, or an error (name and message kept).
import { loadFastFft } from '../fft/real-fft';
import { WelchAccumulator, type SpectrumParams } from '../spectrum/welch';
import type { SpectrumRequest, SpectrumResponse } from './spectrum-protocol';

let welch: WelchAccumulator | undefined;
const ready: Promise<boolean> = loadFastFft();

const reply = (message: SpectrumResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = async (event: MessageEvent<SpectrumRequest>) => {
  const message = event.data;
  try {
    if (message.type === 'start') {
      await ready;
      welch = new WelchAccumulator(message.channels, message.params as SpectrumParams & { segment: number });
    } else if (message.type === 'chunk') {
      await ready;
      welch!.push(message.samples);
      reply({ type: 'taken' });
    } else if (message.type === 'partial') {
      await ready;
      const partial = welch!.partial();
      reply({ type: 'partial', partial }, partial.sums.map((sum) => sum.buffer as ArrayBuffer));
    } else {
      await ready;
      const spectrum = welch!.finish();
      reply({ type: 'result', spectrum }, spectrum.values.map((values) => values.buffer as ArrayBuffer));
    }
  } catch (error) {
    reply({ type: 'error', name: (error as Error).name, message: (error as Error).message });
  }
};
