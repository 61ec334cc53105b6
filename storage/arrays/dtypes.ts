import { StorageError } from '../storage-error';

/** Element types a Data Array can hold (little-endian, as typed arrays are on every platform the app runs on). */
export type DType = 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16' | 'uint32';

export type NumericArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

type NumericArrayConstructor = {
  new (length: number): NumericArray;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): NumericArray;
  readonly BYTES_PER_ELEMENT: number;
};

const constructors: Record<DType, NumericArrayConstructor> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

export const DTYPES = Object.keys(constructors) as DType[];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && value in constructors;
}

export function bytesPerElement(dtype: DType): number {
  return constructors[dtype].BYTES_PER_ELEMENT;
}

export function typedArrayFor(dtype: DType): NumericArrayConstructor {
  const constructor = constructors[dtype];
  if (!constructor) throw new StorageError(400, `Unknown dtype "${String(dtype)}": use one of ${DTYPES.join(', ')}.`);
  return constructor;
}

/** A view of `buffer` as `dtype` elements (the buffer's length must be a whole number of elements). */
export function viewAs(dtype: DType, buffer: ArrayBuffer): NumericArray {
  const constructor = typedArrayFor(dtype);
  return new constructor(buffer, 0, buffer.byteLength / constructor.BYTES_PER_ELEMENT);
}

/** The dtype summaries of `dtype` data are kept in: float32 holds every value of the narrow types exactly. */
export function summaryDType(dtype: DType): 'float32' | 'float64' {
  return dtype === 'float64' || dtype === 'int32' || dtype === 'uint32' ? 'float64' : 'float32';
}
