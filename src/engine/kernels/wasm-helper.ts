// The second thread of the wasm matmul: a worker with its own instance of the sgemm module over the
// same shared memory. A product is cut into blocks (of C's rows, of its columns, or of the depth
// k); both threads claim blocks from one counter until none are left, so a helper that is slow to
// wake (the other core busy) just gets fewer blocks. The engine's callers are synchronous, so the
// calling thread waits with Atomics.wait, never with events.
//
// Handshake, all on `control` (not in the wasm memory): the caller writes the job's words, then
// stores STATE = POSTED and notifies. The helper takes a job only by CAS POSTED → RUNNING and puts
// IDLE back when it has finished its blocks. The caller, out of blocks itself, takes the job back
// by CAS POSTED → IDLE if the helper never started it (it will find IDLE and go on waiting), else
// waits for IDLE. So job words are only written while the helper is not reading them.
//
// A big product cut by rows can go straight into shared memory (`out`): each thread copies the
// rows it computed, while they are in cache, and the two threads share the page faults of the
// fresh array (most of the time of a 157 MB result). `out` reaches the helper through a
// MessagePort read synchronously (receiveMessageOnPort), tagged with the job's number; a block
// nobody copied (a helper without the message) is copied by the caller afterwards.
import { MessageChannel, Worker } from 'node:worker_threads';

const IDLE = 0, POSTED = 1, RUNNING = 2, STOP = 3;
// Control words: the handshake, the block counter, readiness, a failed block (+1), the number of
// the job's `out` message (0: none), then the job, and per block whether its rows were copied.
const STATE = 0, NEXT = 1, READY = 2, FAILED = 3, OUT = 4, JOB = 5;
export const MAX_BLOCKS = 16;

export enum Cut { Rows, Columns, Depth }

/** One product for both threads: sgemm's operands and how it is cut into blocks. */
export interface SplitJob {
  /** sgemm's a, b, c, m, k, n, transA, transB and the helper's scratch, as memory offsets and numbers. */
  args: number[];
  cut: Cut;
  /** Block i is [bounds[i], bounds[i + 1]) of the rows, columns or depth. */
  bounds: number[];
  /** Bytes from one block's C to the next (Depth: each block sums into a C of its own), else 0. */
  cStride: number;
  /**
   * Only for a cut by rows: the product's destination, in shared memory; each thread copies there
   * the rows of the blocks it computed (see copiesOut).
   */
  out?: Float32Array;
}
const N_ARGS = 9, CUT = JOB + N_ARGS, C_STRIDE = CUT + 1, BLOCKS = C_STRIDE + 1, BOUNDS = BLOCKS + 1;
const COPIED = BOUNDS + MAX_BLOCKS + 1, HELPER_COPIES = COPIED + MAX_BLOCKS;

/**
 * sgemm's arguments for block i of a job, with this thread's scratch. The helper runs it from its
 * source text, so it must stay self-contained: no closures, no helpers, nothing a transpiler could
 * rewrite into a call to something the helper does not have (the two-thread tests exercise it).
 */
function blockArgs(args: Iterable<number>, cut: number, cStride: number, begin: number, end: number, i: number, scratch: number): number[] {
  const [a, b, c, m, k, n, ta, tb] = args;
  const rows = cut === 0 ? [begin, end] : [0, m], cols = cut === 1 ? [begin, end] : [0, n], depth = cut === 2 ? [begin, end] : [0, k];
  return [a, b, c + i * cStride, m, k, n, ta, tb, scratch, ...rows, ...cols, ...depth];
}

/** Rows [begin, end) of the product C (at byte `c` of the wasm memory, n columns) into `out`. Self-contained, like blockArgs. */
function copyRows(memory: WebAssembly.Memory, c: number, n: number, out: Float32Array, begin: number, end: number): void {
  out.set(new Float32Array(memory.buffer, c + begin * n * 4, (end - begin) * n), begin * n);
}

const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { module, memory, control, stackTop, port } = workerData;
const ctl = new Int32Array(control);
const { sgemm, set_stack } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const blockArgs = ${blockArgs.toString()};
const copyRows = ${copyRows.toString()};
set_stack(stackTop);
Atomics.store(ctl, ${READY}, 1);
for (;;) {
  Atomics.wait(ctl, ${STATE}, ${IDLE});
  const state = Atomics.load(ctl, ${STATE});
  if (state === ${STOP}) break;
  if (state !== ${POSTED} || Atomics.compareExchange(ctl, ${STATE}, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
  const job = ctl.slice(${JOB}, ${JOB + N_ARGS}), scratch = job[8];
  const cut = ctl[${CUT}], cStride = ctl[${C_STRIDE}], blocks = ctl[${BLOCKS}], outNumber = ctl[${OUT}];
  let out = null; // every message is read: one left by a job taken back would keep its array alive
  for (let msg; (msg = receiveMessageOnPort(port));) {
    if (outNumber && msg.message.number === outNumber) { const { buffer, byteOffset, length } = msg.message; out = new Float32Array(buffer, byteOffset, length); }
  }
  let i;
  try {
    while ((i = Atomics.add(ctl, ${NEXT}, 1)) < blocks) {
      const begin = ctl[${BOUNDS} + i], end = ctl[${BOUNDS} + i + 1];
      sgemm(...blockArgs(job, cut, cStride, begin, end, i, scratch));
      if (out) {
        copyRows(memory, job[2], job[5], out, begin, end);
        ctl[${COPIED} + i] = 1;
        Atomics.add(ctl, ${HELPER_COPIES}, 1);
      }
    }
  } catch {
    Atomics.store(ctl, ${FAILED}, i + 1);
    Atomics.store(ctl, ${READY}, 0);
  }
  Atomics.store(ctl, ${STATE}, ${IDLE});
  Atomics.notify(ctl, ${STATE});
}
`;

export class SgemmHelper {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * (HELPER_COPIES + 1)));
  private readonly port;
  private outNumber = 0;
  private worker: Worker | null;

  /** Starts the helper thread; it is usable once `ready` (instantiating takes a few ms). */
  constructor(module: WebAssembly.Module, private readonly memory: WebAssembly.Memory, stackTop: number) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.unref();
    this.worker = new Worker(HELPER_SOURCE, {
      eval: true,
      execArgv: [], // no loaders or flags of the parent: the helper is plain JS
      workerData: { module, memory, control: this.control.buffer, stackTop, port: port2 },
      transferList: [port2],
    });
    this.worker.unref(); // an idle helper never keeps the process alive
    const gone = () => { Atomics.store(this.control, READY, 0); this.worker = null; };
    this.worker.once('error', gone);
    this.worker.once('exit', gone);
  }

  get ready(): boolean { return Atomics.load(this.control, READY) === 1; }

  /** Blocks whose rows the helper itself copied into a shared `out` (so far). */
  get rowsCopiedByHelper(): number { return Atomics.load(this.control, HELPER_COPIES); }

  /** Runs every block of `job` here (sgemm with this thread's `scratch`) and on the helper; returns when all are done. */
  run(job: SplitJob, sgemm: (...args: number[]) => void, scratch: number): void {
    const ctl = this.control, blocks = job.bounds.length - 1;
    if (blocks > MAX_BLOCKS) throw new Error('internal: too many sgemm blocks');
    ctl.set(job.args, JOB);
    ctl[CUT] = job.cut;
    ctl[C_STRIDE] = job.cStride;
    ctl[BLOCKS] = blocks;
    ctl.set(job.bounds, BOUNDS);
    ctl.fill(0, COPIED, COPIED + blocks);
    const out = job.out;
    if (out) {
      this.outNumber = (this.outNumber % 0x7fffffff) + 1;
      this.port.postMessage({ number: this.outNumber, buffer: out.buffer, byteOffset: out.byteOffset, length: out.length });
    }
    ctl[OUT] = out ? this.outNumber : 0;
    Atomics.store(ctl, FAILED, 0);
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, STATE, POSTED); // after the plain writes above: the helper reads them after its CAS
    Atomics.notify(ctl, STATE);
    const copyBlock = (i: number) => {
      if (out) copyRows(this.memory, job.args[2], job.args[5], out, job.bounds[i], job.bounds[i + 1]);
      ctl[COPIED + i] = 1;
    };
    const runHere = (i: number) => {
      sgemm(...blockArgs(job.args, job.cut, job.cStride, job.bounds[i], job.bounds[i + 1], i, scratch));
      copyBlock(i);
    };
    try {
      let i;
      while ((i = Atomics.add(ctl, NEXT, 1)) < blocks) runHere(i);
    } finally {
      // Even if a block threw here, the job words must not be rewritten under a running helper.
      if (Atomics.compareExchange(ctl, STATE, POSTED, IDLE) !== POSTED) {
        while (Atomics.load(ctl, STATE) === RUNNING) Atomics.wait(ctl, STATE, RUNNING);
      }
    }
    const failed = Atomics.load(ctl, FAILED) - 1;
    if (failed >= 0) runHere(failed);
    for (let i = 0; out && i < blocks; i++) if (!ctl[COPIED + i]) copyBlock(i); // the helper had no `out`
  }

  /** Whether a product cut this way can go straight into `out` (see SplitJob.out). */
  static copiesOut(cut: Cut, out: Float32Array): boolean {
    return cut === Cut.Rows && out.buffer instanceof SharedArrayBuffer;
  }

  dispose(): void {
    Atomics.store(this.control, READY, 0);
    Atomics.store(this.control, STATE, STOP);
    Atomics.notify(this.control, STATE);
    void this.worker?.terminate();
    this.worker = null;
    this.port.close();
  }
}
