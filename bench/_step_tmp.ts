import { createWasmBackend, Session, setBackend } from '../src/engine';
import { lesson13Inputs, lesson13Step } from './lesson13-step';
const backend = createWasmBackend({ threads: 1 });
setBackend(backend);
const s = new Session();
const { x, y, params } = lesson13Inputs(s);
lesson13Step(s, x, y, params);
for (let i = 0; i < 3; i++) { const t = performance.now(); lesson13Step(s, x, y, params); console.log('step', (performance.now() - t).toFixed(0)); }
backend.dispose();
