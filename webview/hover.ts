// The hover card: what the op does to shapes. Per input, the Jacobian ∂out/∂in it never builds,
// and the vector-Jacobian product it computes instead, with names and concrete shapes.
import type { TraceNode } from '../src/shared/trace';
import { escapeHtml, num, shapeTuple } from './format';
import type { GraphModel } from './graph';
import { gradCheck } from './gradcheck';
import { inputRows, jacobianSize } from './vjp';

export function hoverCardHtml(model: GraphModel, n: TraceNode): string {
  const name = model.name(n);
  const out: string[] = [];
  out.push(`<header><span class="opname">${escapeHtml(n.op)}</span> <b>${escapeHtml(name)}</b>` +
    `${model.trace.root === n.id ? ' <span class="chip rootchip">root</span>' : ''}</header>`);
  out.push(`<div class="kv"><span>output</span><code>${shapeTuple(n.shape)}</code>${n.dtype !== 'float32' ? ` <span class="chip dtype">${n.dtype}</span>` : ''}` +
    `${n.loc ? ` <span class="muted">line ${n.loc.line}${n.loc.func && n.loc.func !== '<module>' ? ` in ${escapeHtml(n.loc.func)}` : ''}</span>` : ''}</div>`);
  if (n.names.length > 1 || (n.names.length === 1 && n.names[0] !== name)) out.push(`<div class="kv"><span>also</span><code>${n.names.map(escapeHtml).join(', ')}</code></div>`);
  if (n.params && Object.keys(n.params).length) out.push(`<div class="kv"><span>params</span><code>${escapeHtml(formatParams(n.params))}</code></div>`);
  if (n.op === 'leaf') {
    out.push(`<p class="muted">A leaf: made without an op${n.requiresGrad ? ', requires_grad' : ''}. Gradients stop here.</p>`);
  } else {
    const inputs = n.inputs.map((i) => model.byId.get(i)).filter((i): i is TraceNode => !!i);
    const rows = inputRows(n, inputs, model.trace.ops[n.op], (x) => model.formulaName(x));
    for (const r of rows) {
      out.push(`<section class="input${r.differentiable ? '' : ' nondiff'}"><div class="kv"><span>∂${escapeHtml(model.formulaName(n))}/∂${escapeHtml(r.name)}</span>` +
        `<code class="jacobian">${r.jacobian}</code></div>` +
        `<div class="muted small">Jacobian: ${jacobianSize(r)}, never materialised</div>` +
        (r.vjp ? `<div class="vjp"><code>${escapeHtml(r.vjp)}</code>${r.vjpShapes ? `<code class="shapes">${escapeHtml(r.vjpShapes)}</code>` : ''}</div>` : '') +
        (r.reduction ? `<div class="reduction"><i class="codicon codicon-fold-up"></i><code>${escapeHtml(r.reduction)}</code></div>` : '') +
        `</section>`);
    }
  }
  out.push(`<div class="kv stats"><span>value</span><span>min ${num(n.value.min)} · mean ${num(n.value.mean)} · max ${num(n.value.max)}</span></div>`);
  out.push(`<div class="kv stats"><span>grad</span><span>${n.grad ? `mean |g| ${num(n.grad.absMean)} · min ${num(n.grad.min)} · max ${num(n.grad.max)}` : 'not reachable from the root'}</span></div>`);
  const check = gradCheck(n);
  if (check) out.push(`<div class="kv"><span>your .g</span><span class="chip check ${check.status}">${check.status}</span> <span class="small">${escapeHtml(check.detail)}</span></div>`);
  out.push(`<footer class="muted small">click: details · double-click: go to source</footer>`);
  return out.join('');
}

function formatParams(p: Record<string, unknown>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ').slice(0, 160);
}
