/**
 * Hostile formulas (issue 15): deep nesting, long inputs, huge exponents and numbers, random token
 * soup. Every one either parses and evaluates, or is refused by a {@link FormulaError} (an
 * `InputError`, exit 2) that points inside the text — never a RangeError, a stack overflow or a
 * hang. `FUZZ_CASES=20000 npx jest test/verify/hostile-formulas.test.ts` runs more cases.
 */
import fc from 'fast-check';
import { Rational } from '../../src/field/rational.js';
import { fromRows } from '../../src/linalg/matrix.js';
import { makeDmfModel } from '../../src/models/model.js';
import { productOf } from '../../src/generators/minimizers.js';
import { InputError } from '../../src/errors/input-error.js';
import { evaluateFormula } from '../../src/verify/evaluate.js';
import { formulaContext } from '../../src/verify/formula-context.js';
import { PrecisionError } from '../../src/verify/formula-error.js';
import { FormulaError } from '../../src/verify/formula-error.js';
import { parseFormula } from '../../src/verify/formula.js';
import { MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH } from '../../src/verify/limits.js';
import { checkProperty } from '../support/property.js';

/** Cases per property: a few thousand in all by default. */
const CASES = process.env.FUZZ_CASES !== undefined ? Number(process.env.FUZZ_CASES) : 500;

jest.setTimeout(600000);

const q = (n: number, d = 1): Rational => new Rational(BigInt(n), BigInt(d));
const W = [fromRows([[q(2), q(1)], [q(0), q(1, 2)]]), fromRows([[q(1), q(-1)], [q(3), q(1)], [q(1, 3), q(0)]]), fromRows([[q(1), q(2), q(-1)]])];
const ctx = formulaContext(makeDmfModel(W, productOf(W)));

type Outcome = 'value' | 'refused' | 'precision';

/** Parses and evaluates; returns how it ended, and fails the property on any other error or a bad position. */
function attempt(text: string, bits = 40): Outcome {
  try {
    const f = parseFormula(text);
    evaluateFormula(f, ctx, { bits });
    return 'value';
  } catch (e) {
    if (e instanceof PrecisionError) return 'precision'; // "more bits needed": the verifier tightens or reports undecided
    if (!(e instanceof FormulaError)) throw e;
    expect(e).toBeInstanceOf(InputError);
    expect(e.span.start).toBeGreaterThanOrEqual(0);
    expect(e.span.start).toBeLessThanOrEqual(text.length);
    expect(e.message).toMatch(/ at position \d+$/);
    expect(e.describe().split('\n')).toHaveLength(3);
    return 'refused';
  }
}

const atoms = fc.constantFrom('N', 'M', 'P', 'd(0)', 'W(1)', 'A(2)', 'B(3)', '2', '0.5', '1e-3', '3/4', 'norm2(M)', 'fro(W(2))', 'sigma(M, 1)', 'trace(M*M\')', 'sqrt(2)');
const wrappers = fc.constantFrom<[string, string]>(['(', ')'], ['-', ''], ['abs(', ')'], ['sqrt(', ')'], ['norm2(', ')'], ['max(1, ', ')'], ['W(', ')'], ['', "'"], ['(', ')^2'], ['2^', '']);

describe('hostile formulas never escape as anything but a FormulaError', () => {
  test('deep nesting of parentheses, calls, unary minus, powers (up to 3000 levels)', () => {
    checkProperty(
      fc.property(wrappers, fc.integer({ min: 0, max: 3000 }), atoms, (w, k, atom) => {
        const text = w[0].repeat(k) + atom + w[1].repeat(k);
        const outcome = attempt(text.length > MAX_FORMULA_CHARS ? text.slice(0, MAX_FORMULA_CHARS) : text);
        expect(['value', 'refused', 'precision']).toContain(outcome);
      }),
      { numRuns: CASES },
    );
  });

  test('500 nested parentheses are fine; nesting beyond the depth limit is refused with its place', () => {
    expect(attempt(`${'('.repeat(500)}N${')'.repeat(500)}`)).toBe('value');
    const text = `${'abs('.repeat(MAX_FORMULA_DEPTH + 5)}N${')'.repeat(MAX_FORMULA_DEPTH + 5)}`;
    let err: FormulaError | undefined;
    try {
      parseFormula(text);
    } catch (e) {
      if (e instanceof FormulaError) err = e;
    }
    expect(err?.reason).toMatch(new RegExp(`more than ${MAX_FORMULA_DEPTH} levels deep \\(the limit is ${MAX_FORMULA_DEPTH}\\)`));
  });

  test('long inputs: sums and products of thousands of terms, and beyond the length limit', () => {
    checkProperty(
      fc.property(fc.array(atoms, { minLength: 1, maxLength: 2500 }), fc.constantFrom(' + ', '*', ' ', ' - ', '/'), (terms, op) => {
        attempt(terms.join(op));
      }),
      { numRuns: Math.max(20, Math.floor(CASES / 10)) },
    );
    const long = `N${' + N'.repeat(MAX_FORMULA_CHARS)}`;
    expect(() => parseFormula(long)).toThrow(new RegExp(`has ${long.length} characters; the limit is ${MAX_FORMULA_CHARS}`));
  });

  test('huge exponents, towers and numbers', () => {
    const exponent = fc.oneof(
      fc.integer({ min: -5000, max: 5000 }).map(String),
      fc.tuple(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 1, max: 5000 })).map(([p, r]) => `(${p}/${r})`),
      fc.constantFrom('N', '(1/N)', '(2 - 2/N)', '1e4', '0.001', '(-1/4096)'),
    );
    const base = fc.oneof(atoms, fc.constantFrom('10', '(N^4096)', '(-2)', '0', '(10^4096)', '1e300', '(1/3)'));
    checkProperty(
      fc.property(base, fc.array(exponent, { minLength: 1, maxLength: 4 }), fc.boolean(), (b, exps, nested) => {
        const text = nested ? exps.reduce((acc, e) => `(${acc})^${e}`, b) : `${b}^${exps.join('^')}`;
        attempt(text);
      }),
      { numRuns: CASES },
    );
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 10 ** 7 }), fc.boolean(), (e, neg) => {
        attempt(`N + 1e${neg ? '-' : ''}${e}`);
        attempt(`N * ${'9'.repeat(e % 30000)}`);
      }),
      { numRuns: Math.max(20, Math.floor(CASES / 5)) },
    );
  });

  test('the fuzz findings of issue 15 are refused (or computed) at once', () => {
    expect(attempt('(N^4096)^4096')).toBe('refused');
    expect(attempt('((10^4096)^4096)^4096')).toBe('refused');
    expect(attempt('norm2(M)^(1/4096)')).toBe('value');
    expect(attempt('N'.concat(' + N'.repeat(1499)))).toBe('refused'); // 5999 characters, 1500 levels of sums
    expect(attempt(`${'('.repeat(500)}N${')'.repeat(500)}`)).toBe('value');
  });

  test('nested layer reductions are bounded in the work they multiply', () => {
    const nest = (k: number): string => {
      const vars = ['i', 'j', 'k', 'l', 'm', 'n', 'p', 'q', 'r', 's', 't', 'u'];
      let body = '1';
      for (let a = k - 1; a >= 0; a--) body = `sumLayers(${vars[a] as string}, ${body})`;
      return body;
    };
    expect(attempt(nest(3))).toBe('value');
    expect(attempt(nest(12))).toBe('refused');
  });

  test('random token soup, with foreign operators and characters', () => {
    const token = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('N', 'M', 'P', 'W', 'A', 'B', 'd', 'i', 'sumLayers', 'norm2', 'sigma', 'max', '2', '0.5', '1e9', '4096', '+', '-', '*', '/', '^', "'", '(', ')', ',', ' ') },
      { weight: 1, arbitrary: fc.constantFrom('==', '=', '!', '%', '[', ']', '.', ';', '?', ':', '{', '"', '#', '\n', '\\', '@', '∑', '😀', 'Infinity', 'NaN', 'mod', '0x1F', '1e99999') },
      { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
    );
    checkProperty(
      fc.property(fc.array(token, { maxLength: 40 }), (ts) => {
        attempt(ts.join(''));
      }),
      { numRuns: CASES * 2 },
    );
  });

  test('well-formed formulas of the whole language', () => {
    const expr = fc.letrec<{ s: string; m: string }>((tie) => ({
      s: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('N', '2', '1/2', 'd(0)', 'd(N)', '3'),
        tie('m').map((m) => `norm2(${m})`),
        tie('m').map((m) => `fro(${m})`),
        tie('m').map((m) => `sigma(${m}, 1)`),
        fc.tuple(tie('s'), fc.constantFrom('+', '-', '*', '/'), tie('s')).map(([a, op, b]) => `(${a} ${op} ${b})`),
        fc.tuple(tie('s'), fc.constantFrom('2', '-1', '1/3', '(2 - 2/N)', '64', '4096')).map(([a, e]) => `${a}^${e}`),
        tie('s').map((a) => `sumLayers(i, ${a})`),
        tie('s').map((a) => `maxLayers(j, ${a})`),
        tie('s').map((a) => `sqrt(abs(${a}))`),
      ),
      m: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('M', 'P', 'W(1)', 'A(1)', 'B(1)', "M'", 'W(2)*W(1)'),
        fc.tuple(tie('m'), tie('m')).map(([a, b]) => `(${a} + ${b})`),
        fc.tuple(tie('s'), tie('m')).map(([a, b]) => `${a} * ${b}`),
        tie('m').map((a) => `transpose(${a})`),
        tie('m').map((a) => `(${a}' * ${a})^${['2', '8', '64'][a.length % 3] as string}`),
      ),
    })).s;
    checkProperty(
      fc.property(expr, (text) => {
        attempt(text);
      }),
      { numRuns: CASES },
    );
  });
});
