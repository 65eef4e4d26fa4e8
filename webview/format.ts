// How numbers, shapes and sizes read in the graph: `32×6` on nodes, `(32,6)` in formulas.

export function shapeX(shape: readonly number[]): string {
  return shape.length ? shape.join('×') : 'scalar';
}

export function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function num(x: number | undefined | null, digits = 3): string {
  if (x === undefined || x === null) return '–';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(digits - 1).replace('e+', 'e');
  return Number(x.toPrecision(digits)).toString();
}

export function count(n: number): string {
  if (n < 1e7) return n.toLocaleString('en-US');
  const units = [['T', 1e12], ['B', 1e9], ['M', 1e6], ['k', 1e3]] as const;
  for (const [u, v] of units) if (n >= v) return `${Number((n / v).toPrecision(3))}${u}`;
  return String(n);
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${Number(n.toPrecision(3))} ${units[i]}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
