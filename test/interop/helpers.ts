/** Shared pieces of the interop tests: the committed fixtures and an exact hex-float reader. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** test/fixtures/interop, made by make_fixtures.py (torch, numpy). */
export const FIXTURES = join(__dirname, '..', 'fixtures', 'interop');

export const fixture = (name: string): string => join(FIXTURES, name);

interface ExpectedTensor {
  readonly shape: number[];
  readonly hex?: string[];
  readonly ints?: number[];
}

/** expected.json: numpy's float64 value of every stored element, and torch's Hessian eigenvalues. */
export interface Expected {
  readonly tensors: Record<string, Record<string, ExpectedTensor>>;
  readonly hessian: Record<string, { convention: string; activation?: string; eigenvalues: number[] }>;
  /** torch's H·v at the float32 dln fixture, v and Hv in torch's parameters_to_vector order (hex floats). */
  readonly hvp: { model: string; order: string; v: string[]; hv: string[] };
}

export const expected: Expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as Expected;

/**
 * A Python `float.hex()` string (`-0x1.2750320000000p-1`, `0x0.0p+0`) as the number it denotes,
 * exactly: the hexadecimal significand is an integer scaled by a power of two.
 */
export function fromHex(s: string): number {
  const m = /^(-?)0x([0-9a-f]+)\.?([0-9a-f]*)p([+-]\d+)$/.exec(s);
  if (m === null) throw new Error(`not a hex float: ${s}`);
  const digits = `${m[2] as string}${m[3] as string}`;
  const mant = BigInt(`0x${digits}`);
  const exp = Number(m[4]) - 4 * (m[3] as string).length;
  // mant < 2^53 for binary64 values, so Number(mant) is exact, and scaling by 2^exp is exact in two steps.
  const half = Math.trunc(exp / 2);
  const v = Number(mant) * 2 ** half * 2 ** (exp - half);
  return m[1] === '-' ? -v : v;
}
