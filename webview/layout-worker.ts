// The layout worker: built to a string by build.mjs and started from a blob URL (CSP: worker-src blob:).
import { computeLayout, type LayoutInput } from './layout';

self.onmessage = (e: MessageEvent<{ id: number; input: LayoutInput }>) => {
  self.postMessage({ id: e.data.id, result: computeLayout(e.data.input) });
};
