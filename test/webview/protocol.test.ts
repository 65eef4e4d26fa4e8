// Every message crossing the webview boundary is checked; these are the checks.
import assert from 'node:assert/strict';
import { imagesOf, isHostMessage, isWebviewMessage, withoutImages } from '../../src/shared/protocol';
import { inlineJson, renderStandaloneHtml } from '../../src/shared/html';
import { loadTrace } from './browser';

describe('protocol validators', () => {
  it('accepts well-formed host messages', () => {
    assert.ok(isHostMessage({ type: 'trace', trace: loadTrace('failing') }));
    assert.ok(isHostMessage({ type: 'highlightLine', line: 3 }));
    assert.ok(isHostMessage({ type: 'highlightLine', line: null }));
    assert.ok(isHostMessage({ type: 'busy', busy: true, message: 'Tracing…' }));
    assert.ok(isHostMessage({ type: 'error', message: 'boom' }));
    assert.ok(isHostMessage({ type: 'sliceReply', requestId: 1, summary: { min: 0, max: 1, mean: 0.5, std: 0.1, data: [0, 1] } }));
    assert.ok(isHostMessage({ type: 'sliceReply', requestId: 2, error: 'gone' }));
    assert.ok(isHostMessage({ type: 'trace', trace: loadTrace('failing'), seq: 3, imagesOnRequest: true }));
    assert.ok(isHostMessage({ type: 'imagesReply', requestId: 5, images: { value: { rows: 1, cols: 2, data: [0, 1] } } }));
    assert.ok(isHostMessage({ type: 'imagesReply', requestId: 6, error: 'replaced' }));
  });

  it('rejects malformed host messages', () => {
    for (const m of [null, 1, 'trace', [], {}, { type: 'trace', trace: {} }, { type: 'highlightLine', line: 0 }, { type: 'highlightLine', line: 1.5 },
      { type: 'busy' }, { type: 'error', message: 3 }, { type: 'sliceReply', requestId: 'x' }, { type: 'sliceReply', requestId: 1, summary: { min: 0 } }, { type: 'goToSource', line: 1, column: 1 },
      { type: 'trace', trace: loadTrace('failing'), seq: 'x' }, { type: 'imagesReply', requestId: 1, images: { hessian: { rows: 1, cols: 1, data: [1] } } },
      { type: 'imagesReply', requestId: 1, images: { value: { rows: 1, data: [1] } } }]) {
      assert.equal(isHostMessage(m), false, JSON.stringify(m));
    }
  });

  it('accepts well-formed webview messages and rejects the rest', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'retrace' }));
    assert.ok(isWebviewMessage({ type: 'goToSource', line: 12, column: 5 }));
    assert.ok(isWebviewMessage({ type: 'requestSlice', requestId: 4, seq: 1, nodeId: 7, which: 'grad' }));
    assert.ok(isWebviewMessage({ type: 'requestImages', requestId: 5, seq: 1, nodeId: 7 }));
    for (const m of [undefined, {}, { type: 'goToSource', line: 0, column: 1 }, { type: 'goToSource', line: 2 }, { type: 'requestSlice', requestId: 1, seq: 1, nodeId: 2, which: 'hessian' },
      { type: 'requestSlice', requestId: 4, nodeId: 7, which: 'grad' }, { type: 'requestImages', requestId: 5, nodeId: 7 },
      { type: 'requestSlice', nodeId: 2, which: 'value' }, { type: 'trace' }, { type: 'eval', code: '1' }]) {
      assert.equal(isWebviewMessage(m), false, JSON.stringify(m));
    }
  });
});

describe('pictures on request', () => {
  it('a lean trace has every summary but no picture; imagesOf gives one node\'s back', () => {
    const full = loadTrace('lesson13');
    const withPictures = full.nodes.filter((n) => n.value.image);
    assert.ok(withPictures.length > 3, 'the fixture has pictures');
    const lean = withoutImages(full);
    assert.ok(JSON.stringify(lean).length < JSON.stringify(full).length / 2, 'most of the bytes were pictures');
    lean.nodes.forEach((n, i) => {
      assert.equal(n.value.image, undefined);
      assert.equal(n.grad?.image, undefined);
      assert.deepEqual({ ...n.value, image: full.nodes[i].value.image }, { ...full.nodes[i].value, image: full.nodes[i].value.image });
    });
    const n = withPictures[0];
    assert.deepEqual(imagesOf(full, n.id), { value: n.value.image, ...(n.grad?.image ? { grad: n.grad.image } : {}), ...(n.userGrad?.image ? { userGrad: n.userGrad.image } : {}) });
    assert.ok(withPictures[0].value.image, 'the full trace is left as it was');
    assert.equal(imagesOf(full, -1), undefined);
  });
});

describe('standalone HTML', () => {
  it('inlines a trace that cannot close its script block', () => {
    const trace = loadTrace('failing');
    trace.output = '</script><script>alert(1)</script>';
    const html = renderStandaloneHtml(trace, { js: 'var a = "</script>";', css: 'a{}' }, 'abc');
    assert.equal(html.match(/<\/script>/g)!.length, 2, 'only the two real script ends');
    assert.ok(html.includes(`script-src 'nonce-abc'`));
    assert.ok(html.includes("default-src 'none'"));
    assert.deepEqual(JSON.parse(inlineJson(trace)), trace);
  });
});
