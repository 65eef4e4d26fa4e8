// The native backend: matmul through native/sgemm.c (AVX2 + FMA) in a Node-API addon, reading and
// writing the engine's typed arrays in place, on one or two threads, and the hot float32
// elementwise loops (native/elementwise.c). Built by esbuild.js where a C
// compiler and x86-64 Linux are there; anywhere else (or on a CPU without AVX2) there is no addon
// and the engine uses the wasm backend, which runs everywhere.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { BINARY_OPS, type Backend, type ElementwiseKernels } from './backend';

export const NATIVE_ADDON = `gradlens-native-${process.platform}-${process.arch}.node`;

interface Addon {
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: number, transB: number, threads: number): void;
  binary(op: number, out: Float32Array | Uint8Array, a: Float32Array, b: Float32Array, rows: number, len: number,
    ia: number, sa: number, la: number, ib: number, sb: number, lb: number): void;
  clamp(out: Float32Array, x: Float32Array, min: number, max: number): void;
  clampGradient(out: Float32Array, grad: Float32Array, x: Float32Array, min: number, max: number): void;
  sumColumns(acc: Float64Array, x: Float32Array, rows: number, len: number): void;
}

export interface NativeBackend extends Backend {
  /** 1 or 2: how many threads big products use. */
  readonly threads: number;
  /** Where the addon was loaded from. */
  readonly file: string;
}

export interface NativeOptions {
  threads?: 1 | 2;
}

/** Next to the bundle (dist/native/), or, under tsx, in the repository's dist/native/. */
export function nativeAddonPath(): string | null {
  const candidates = [join(__dirname, 'native', NATIVE_ADDON), join(__dirname, '..', '..', '..', 'dist', 'native', NATIVE_ADDON)];
  return candidates.find((file) => existsSync(file)) ?? null;
}

let loaded: { addon: Addon; file: string } | null | undefined;

/** The addon, or why there is none (no build for this platform, a CPU without AVX2 or FMA). */
export function loadNativeAddon(): { addon: Addon; file: string } | { reason: string } {
  if (loaded) return loaded;
  const file = nativeAddonPath();
  if (!file) return { reason: `no ${NATIVE_ADDON} (built only on x86-64 Linux with a C compiler)` };
  try {
    const module = { exports: {} as Addon };
    process.dlopen(module, file);
    loaded = { addon: module.exports, file };
    return loaded;
  } catch (error) {
    return { reason: `${NATIVE_ADDON} did not load: ${(error as Error).message}` };
  }
}

/** The native backend, or null where its addon is not there or cannot run. */
export function createNativeBackend(options: NativeOptions = {}): NativeBackend | null {
  const found = loadNativeAddon();
  if (!('addon' in found)) return null;
  const { addon, file } = found;
  const threads = options.threads ?? (availableParallelism() > 1 ? 2 : 1);
  const elementwise: ElementwiseKernels = {
    binary: (op, out, ...rest) => addon.binary(BINARY_OPS.indexOf(op), out, ...rest),
    clamp: (out, x, min, max) => addon.clamp(out, x, min, max),
    clampGradient: (out, grad, x, min, max) => addon.clampGradient(out, grad, x, min, max),
    sumColumns: (acc, x, rows, len) => addon.sumColumns(acc, x, rows, len),
  };
  return {
    name: 'native-avx2',
    threads,
    file,
    elementwise,
    matmul(a, b, out, m, k, n, transA, transB) {
      addon.matmul(a, b, out, m, k, n, transA ? 1 : 0, transB ? 1 : 0, threads);
    },
  };
}
