// The layout client (node, no browser): the same graph is laid out once, and a caller that
// moves the boxes of one result does not move them in the next.
import assert from 'node:assert/strict';
import { LayoutClient } from '../../webview/layout-client';
import type { LayoutInput } from '../../webview/layout';

function chain(n: number, cluster: boolean): LayoutInput {
  const ids = Array.from({ length: n }, (_, i) => String(i));
  return {
    nodes: ids.map((id) => ({ id, width: 160, height: 48 })),
    edges: ids.slice(1).map((id, i) => ({ from: String(i), to: id })),
    clusters: cluster ? [{ id: 'c:f', parent: null }] : [],
    parentOf: cluster ? ids.slice(1, 3).map((id): [string, string] => [id, 'c:f']) : [],
  };
}

describe('layout client', () => {
  it('reuses the layout of an identical graph, as a copy', async () => {
    const client = new LayoutClient();
    const first = await client.layout(chain(6, true));
    first.nodes['0'].x += 1000;
    const again = await client.layout(chain(6, true));
    assert.equal(again.ms, first.ms, 'the cached result (same compute time) comes back');
    assert.notEqual(again.nodes['0'].x, first.nodes['0'].x, 'not the object the caller changed');
    const other = await client.layout(chain(7, true));
    assert.ok(other.nodes['6'], 'a different graph is laid out afresh');
  });
});
