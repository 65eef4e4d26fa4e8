// Your `.g` against the engine's gradient: match when within tolerance, like torch.allclose.
import type { TraceNode } from '../src/shared/trace';
import { num, shapeTuple } from './format';

export const TOLERANCE = { rel: 1e-4, abs: 1e-5 };

export interface GradCheck { status: 'match' | 'mismatch'; title: string; detail: string }

export function gradCheck(n: TraceNode): GradCheck | null {
  if (!n.userGrad) return null;
  if (n.userGradShape) {
    const msg = `.g has shape ${shapeTuple(n.userGradShape)} but the tensor is ${shapeTuple(n.shape)}`;
    return { status: 'mismatch', title: msg, detail: msg };
  }
  const d = n.userGradDiff;
  if (!d) return { status: 'mismatch', title: 'no engine gradient to compare with', detail: 'the engine found no path from the root to this tensor' };
  const ok = Number.isFinite(d.maxAbs) && (d.maxAbs <= TOLERANCE.abs || d.maxRel <= TOLERANCE.rel);
  const detail = `max |Δ| ${num(d.maxAbs)} · max rel ${num(d.maxRel)} (tolerance rel ${TOLERANCE.rel.toExponential(0)} / abs ${TOLERANCE.abs.toExponential(0)})`;
  return { status: ok ? 'match' : 'mismatch', title: `${ok ? 'your .g matches' : 'your .g differs from'} the engine's gradient: ${detail}`, detail };
}
