/**
 * Affine layer indices: `c + Σ coef·var` with integer coefficients over named index variables
 * (`i`, `j`, …) and the depth `N` (an ordinary variable named `N` here), e.g. `i + 1`, `N`, `N − 1`.
 *
 * The one index algebra of the project: the derivation documents index their symbols with it
 * (`W_{i+1}`, `T_{d_i, d_{i−1}}`, sums from `1` to `N`), and the `verify` formula checker types
 * matrix shapes with it (`W(i)` is `d_i × d_{i−1}`; two dimensions agree statically when their
 * indices are the same affine expression).
 *
 * Terms are kept sorted by variable name, `N` last, with non-zero coefficients, so that equal
 * indices have equal representations.
 */

/** An affine index `c + Σ coef·var` (integer `c` and coefficients). */
export interface Index {
  readonly c: number;
  readonly terms: readonly (readonly [string, number])[];
}

/** The name of the depth variable. */
export const DEPTH_VARIABLE = 'N';

function normalizeTerms(terms: Iterable<readonly [string, number]>): (readonly [string, number])[] {
  const acc = new Map<string, number>();
  for (const [v, k] of terms) acc.set(v, (acc.get(v) ?? 0) + k);
  return [...acc.entries()]
    .filter(([, k]) => k !== 0)
    .sort(([a], [b]) => (a === DEPTH_VARIABLE ? 1 : b === DEPTH_VARIABLE ? -1 : a < b ? -1 : a > b ? 1 : 0));
}

/** The index variable (or `N`) `name`, optionally shifted: `ix('i', 1)` is `i + 1`. */
export function ix(name: string, shift = 0): Index {
  return { c: shift, terms: [[name, 1]] };
}

/** The constant index `c`. */
export function ixConst(c: number): Index {
  return { c, terms: [] };
}

/** `a + shift`. */
export function ixShift(a: Index, shift: number): Index {
  return { c: a.c + shift, terms: a.terms };
}

/** `a + sign · b`. */
export function ixAdd(a: Index, b: Index, sign: 1 | -1 = 1): Index {
  return { c: a.c + sign * b.c, terms: normalizeTerms([...a.terms, ...b.terms.map(([v, k]) => [v, sign * k] as const)]) };
}

/** `s · a` for an integer `s`. */
export function ixScale(a: Index, s: number): Index {
  return { c: a.c * s || 0, terms: normalizeTerms(a.terms.map(([v, k]) => [v, k * s] as const)) }; // `|| 0`: no -0
}

/** `a` with each variable replaced by an index (variables not in `env` stay). */
export function ixSubstitute(a: Index, env: ReadonlyMap<string, Index>): Index {
  let c = a.c;
  const terms: [string, number][] = [];
  for (const [v, k] of a.terms) {
    const r = env.get(v);
    if (r === undefined) terms.push([v, k]);
    else {
      c += k * r.c;
      for (const [w, m] of r.terms) terms.push([w, k * m]);
    }
  }
  return { c, terms: normalizeTerms(terms) };
}

/** The value of an index under integer values of its variables; `undefined` if a variable is unbound. */
export function ixValue(a: Index, values: ReadonlyMap<string, number>): number | undefined {
  let v = a.c;
  for (const [name, k] of a.terms) {
    const x = values.get(name);
    if (x === undefined) return undefined;
    v += k * x;
  }
  return v;
}

/** Whether two indices are the same affine expression. */
export function ixEqual(a: Index, b: Index): boolean {
  const ta = normalizeTerms(a.terms);
  const tb = normalizeTerms(b.terms);
  return a.c === b.c && ta.length === tb.length && ta.every(([v, k], n) => tb[n]?.[0] === v && tb[n]?.[1] === k);
}

/** Whether the index is a constant (no variables). */
export function ixIsConst(a: Index): boolean {
  return a.terms.length === 0;
}

/** The largest absolute value among the constant and the coefficients. */
export function ixMagnitude(a: Index): number {
  return Math.max(Math.abs(a.c), ...a.terms.map(([, k]) => Math.abs(k)));
}

/**
 * Plain text, depth first: `N - 1`, `i + 1`, `-i`, `2N - j`, `0`. The derivation documents render
 * indices themselves (TeX and Unicode, `src/derivation/render.ts`); this is the form of messages.
 */
export function ixFormat(a: Index): string {
  const terms: string[] = [];
  const term = (coef: number, name: string): void => {
    if (coef === 0) return;
    const mag = Math.abs(coef) === 1 ? name : `${Math.abs(coef)}${name}`;
    terms.push(terms.length === 0 ? (coef < 0 ? `-${mag}` : mag) : coef < 0 ? ` - ${mag}` : ` + ${mag}`);
  };
  const depth = a.terms.find(([v]) => v === DEPTH_VARIABLE);
  if (depth !== undefined) term(depth[1], DEPTH_VARIABLE);
  for (const [v, k] of a.terms) if (v !== DEPTH_VARIABLE) term(k, v);
  if (a.c !== 0 || terms.length === 0) {
    if (terms.length === 0) terms.push(String(a.c));
    else terms.push(a.c < 0 ? ` - ${-a.c}` : ` + ${a.c}`);
  }
  return terms.join('');
}
