// Thin typings for FFT libraries that ship none: pffft-wasm (our fast path) and ndarray-fft (compared in bench:fft).
declare module '@echogarden/pffft-wasm/simd' {
  interface PffftModule {
    _pffft_new_setup(size: number, kind: number): number;
    _pffft_destroy_setup(setup: number): void;
    _pffft_aligned_malloc(bytes: number): number;
    _pffft_aligned_free(pointer: number): void;
    _pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
    HEAPF32: Float32Array;
  }
  export default function PFFFT(options?: object): Promise<PffftModule>;
}
declare module 'ndarray-fft' {
  import type ndarray from 'ndarray';
  export default function fft(direction: 1 | -1, real: ndarray.NdArray, imaginary: ndarray.NdArray): void;
}
