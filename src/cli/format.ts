import type { Matrix } from '../linalg/matrix.js';
import { at } from '../linalg/matrix.js';

/** A number for people: up to 12 significant digits, exponent notation only when needed. */
export function formatNumber(x: number, digits = 12): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e12) return String(Number(x.toPrecision(digits)));
  return x.toExponential(Math.min(digits, 8) - 1);
}

/** An aligned text rendering of a matrix (entries already turned into strings). */
export function formatMatrix<S>(M: Matrix<S>, show: (x: S) => string, indent = '  '): string {
  const cells = Array.from({ length: M.rows }, (_, i) => Array.from({ length: M.cols }, (_, j) => show(at(M, i, j))));
  const widths = Array.from({ length: M.cols }, (_, j) => Math.max(...cells.map((r) => (r[j] as string).length)));
  return cells.map((r) => indent + '[ ' + r.map((c, j) => c.padStart(widths[j] as number)).join('  ') + ' ]').join('\n');
}

/** The rows of a matrix as JSON-ready arrays. */
export function matrixRows<S, T>(M: Matrix<S>, f: (x: S) => T): T[][] {
  return Array.from({ length: M.rows }, (_, i) => Array.from({ length: M.cols }, (_, j) => f(at(M, i, j))));
}
