// torch.get_rng_state() / set_rng_state() byte layout for the CPU generator (torch 1.13,
// at::detail::CPUGeneratorImplState, little-endian, 5056 bytes):
//   0 the_initial_seed u64 | 8 left i32 | 12 seeded i32 | 16 next u64 | 24 state[624] u64
//   5016 normal_x f64 | 5024 normal_y f64 | 5032 normal_rho f64 | 5040 normal_is_valid i32 (+4)
//   5048 next_float_normal_sample f32 | 5052 is_next_float_normal_sample_valid u8 (+3)
// The legacy 5048-byte THGeneratorState (no float-normal fields) is accepted by setState too.
// The cached second Box–Muller normal (at::normal_distribution<double>) travels in normal_y with
// normal_is_valid; normal_x / normal_rho are always 0 (checked against torch 1.13).

import { MT_N } from './mt19937';

export const STATE_BYTES = 5056;
const LEGACY_BYTES = 5048;

interface GeneratorLike {
  engine: { seed: bigint; state: Uint32Array; left: number; next: number; seeded: boolean };
  nextDoubleNormal: number | null;
  nextFloatNormal: number | null;
}

export function encodeState(g: GeneratorLike): Uint8Array {
  const bytes = new Uint8Array(STATE_BYTES);
  const dv = new DataView(bytes.buffer);
  const e = g.engine;
  dv.setBigUint64(0, e.seed, true);
  dv.setInt32(8, e.left, true);
  dv.setInt32(12, e.seeded ? 1 : 0, true);
  dv.setBigUint64(16, BigInt(e.next), true);
  for (let i = 0; i < MT_N; i++) dv.setUint32(24 + 8 * i, e.state[i], true);
  if (g.nextDoubleNormal !== null) {
    dv.setInt32(5040, 1, true);
    dv.setFloat64(5024, g.nextDoubleNormal, true);
  }
  if (g.nextFloatNormal !== null) {
    dv.setUint8(5052, 1);
    dv.setFloat32(5048, g.nextFloatNormal, true);
  }
  return bytes;
}

export function decodeState(g: GeneratorLike, bytes: Uint8Array): void {
  if (bytes.length !== STATE_BYTES && bytes.length !== LEGACY_BYTES) {
    throw new RangeError(
      `Expected either a THGeneratorState of size ${LEGACY_BYTES} or a CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${bytes.length}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const left = dv.getInt32(8, true);
  const next = Number(dv.getBigUint64(16, true));
  if (left < 1 || left > MT_N) throw new RangeError('The legacy_pod->left is out of range: ' + left);
  if (next > MT_N) throw new RangeError('The legacy_pod->next is out of range: ' + next);
  const e = g.engine;
  e.seed = dv.getBigUint64(0, true);
  e.left = left;
  e.seeded = dv.getInt32(12, true) !== 0;
  e.next = next;
  for (let i = 0; i < MT_N; i++) e.state[i] = dv.getUint32(24 + 8 * i, true);
  g.nextDoubleNormal = null;
  g.nextFloatNormal = null;
  if (dv.getInt32(5040, true) !== 0) g.nextDoubleNormal = dv.getFloat64(5024, true);
  if (bytes.length === STATE_BYTES && dv.getUint8(5052) !== 0) {
    g.nextFloatNormal = dv.getFloat32(5048, true);
  }
}
