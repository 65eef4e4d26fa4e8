// Shared by the runtime tests: model files written to a temp folder, and a small good model.
import fs from 'fs';
import os from 'os';
import path from 'path';

/** Model files in a fresh temp folder `dir`: `model(source)` writes one and returns its path. */
export function modelWriter(prefix: string): { dir: string; model: (source: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let count = 0;
  const model = (source: string) => {
    const file = path.join(dir, `m${count++}.py`);
    fs.writeFileSync(file, source.replace(/^\n/, ''));
    return file;
  };
  return { dir, model };
}

/** w.g = [2, 2, 2], root `loss`, no output. */
export const GOOD = `
import torch
w = torch.ones(3, requires_grad=True)
loss = (w * 2.).sum()
loss.backward()
`;
