/** Static facts about checked formula nodes: constant values, exactness, affine indices. */
import { bitLength, Rational } from '../field/rational.js';
import { ix, ixAdd, ixConst, ixIsConst, ixMagnitude, ixScale, type Index } from '../symbolic/affine-index.js';
import type { FormulaNode } from './formula-tree.js';
import { MAX_MATRIX_POWER, MAX_VALUE_BITS } from './limits.js';

/** Largest coefficient kept in an affine index (larger ones are left to evaluation, where they are out of range anyway). */
const MAX_INDEX_COEFFICIENT = 1000000;

function bits(q: Rational): number {
  return bitLength(q.num < 0n ? -q.num : q.num) + bitLength(q.den);
}

/**
 * The value of a scalar expression made of numbers only (`1/2`, `-(3)`, `2^3`), else `undefined`
 * (also for powers beyond ±{@link MAX_MATRIX_POWER} or results beyond {@link MAX_VALUE_BITS} bits,
 * which evaluation then refuses with the limit).
 */
export function constantValue(e: FormulaNode): Rational | undefined {
  switch (e.op) {
    case 'const':
      return e.value;
    case 'neg': {
      const a = constantValue(e.arg);
      return a?.neg();
    }
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow': {
      const a = constantValue(e.left);
      const b = constantValue(e.right);
      if (a === undefined || b === undefined) return undefined;
      if (e.op === 'add') return a.add(b);
      if (e.op === 'sub') return a.sub(b);
      if (e.op === 'mul') return a.mul(b);
      if (e.op === 'div') return b.isZero() ? undefined : a.div(b);
      const limit = BigInt(MAX_MATRIX_POWER);
      if (!b.isInteger() || b.num > limit || b.num < -limit || (a.isZero() && b.sign() < 0)) return undefined;
      if (bits(a) * Math.abs(Number(b.num)) > MAX_VALUE_BITS) return undefined;
      return a.pow(Number(b.num));
    }
    default:
      return undefined;
  }
}

/** Whether a scalar expression is exact on every model (no norms, roots or traces of products of irrational values). */
export function isExactExpression(e: FormulaNode): boolean {
  switch (e.op) {
    case 'const':
    case 'N':
    case 'var':
    case 'd':
      return true;
    case 'neg':
    case 'abs':
      return isExactExpression(e.arg);
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
      return isExactExpression(e.left) && isExactExpression(e.right);
    case 'pow':
      return isExactExpression(e.left) && e.right.op === 'const' && e.right.value.isInteger();
    case 'max':
    case 'min':
      return e.args.every(isExactExpression);
    case 'sumLayers':
    case 'maxLayers':
    case 'minLayers':
      return isExactExpression(e.body);
    default:
      return false;
  }
}

/** The affine index an expression denotes (integers, N, layer variables, + − and integer multiples), or `null`. */
export function affineOf(e: FormulaNode): Index | null {
  const a = affine(e);
  return a !== null && ixMagnitude(a) <= MAX_INDEX_COEFFICIENT ? a : null;
}

function affine(e: FormulaNode): Index | null {
  switch (e.op) {
    case 'const': {
      const v = e.value;
      const m = BigInt(MAX_INDEX_COEFFICIENT);
      return v.isInteger() && v.num <= m && v.num >= -m ? ixConst(Number(v.num)) : null;
    }
    case 'N':
      return ix('N');
    case 'var':
      return ix(e.name);
    case 'neg': {
      const a = affineOf(e.arg);
      return a === null ? null : ixScale(a, -1);
    }
    case 'add':
    case 'sub': {
      const a = affineOf(e.left);
      const b = affineOf(e.right);
      return a === null || b === null ? null : ixAdd(a, b, e.op === 'add' ? 1 : -1);
    }
    case 'mul': {
      const a = affineOf(e.left);
      const b = affineOf(e.right);
      if (a === null || b === null) return null;
      if (ixIsConst(a)) return ixScale(b, a.c);
      if (ixIsConst(b)) return ixScale(a, b.c);
      return null;
    }
    default:
      return null;
  }
}
