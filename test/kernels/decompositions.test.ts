/**
 * Conformance of the dense decompositions on every float64 kernel that loads here: with each kernel
 * active, `symmetricEigen`, `symmetricEigenvalues`, `svd` and `singularValues` (src/linalg) run on
 * that kernel's LAPACK when it has one (native: OpenBLAS dsyevd / dgesdd) above the small-size
 * switch (`SMALL_DECOMPOSITION_WORK`) and in JavaScript otherwise — and the kernel's own LAPACK entry
 * points are checked directly on every size, small ones included — and must recover spectra known exactly (test/kernels/exact-spectra.ts: integer matrices
 * `Q diag(λ) Qᵀ` with `Q` a product of scaled Householder reflections, a permutation and signs).
 *
 * The bound. Both paths are backward stable: the computed values are exact for `A + E` with
 * `‖E‖₂ ≤ p(n) u ‖A‖₂`, `u = 2⁻⁵³`. The a-priori `p(n)` of the analysis is `O(n²)`; the suite
 * checks the practical `p(n) = 8n` that callers state (e.g. the float formulas of `sharpness`):
 * `|λ̂_k − λ_k| ≤ 8 n u ‖A‖₂` (Weyl), `‖A v̂_k − λ̂_k v̂_k‖₂ ≤ 8 n u ‖A‖₂`, `|V̂ᵀV̂ − I| ≤ 8 n u`
 * entry-wise, and the same with `n = max(m, n)` for the SVD (`‖A − Û Σ̂ V̂ᵀ‖` entry-wise,
 * `ÛᵀÛ`, `V̂ᵀV̂`). Measured here, the errors stay below `1.4 n u ‖A‖₂` on both paths (docs/performance.md).
 * Residuals are evaluated with compensated (twice the working precision) dot products, so their own
 * rounding does not count against the bound.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { activeKernel, availableCores, availableKernels, KernelConvergenceError, setThreads, SMALL_DECOMPOSITION_WORK, useKernel, type F64Kernel } from '../../src/kernels/index.js';
import { symmetricEigen } from '../../src/linalg/eigen-f64.js';
import { symmetricEigenvalues } from '../../src/linalg/eigenvalues-f64.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { singularValues, svd } from '../../src/linalg/svd-f64.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { runCli } from '../support/cli.js';
import { integerVector, reflectedDiagonal, reflectedSingular, rotationBlocks, type KnownSingularValues, type KnownSpectrum } from './exact-spectra.js';

const u = 2 ** -53;
/** The practical backward-error constant checked: `p(n) = C n`. */
const C = 8;

// ---- compensated dot product (Ogita, Rump & Oishi's Dot2): error ≈ u |x·y| + γ²_n |x|·|y| ----

const SPLIT = 134217729; // 2^27 + 1
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, al * bl - (((p - ah * bh) - al * bh) - ah * bl)];
}
function dot2(len: number, x: (i: number) => number, y: (i: number) => number, init = 0): number {
  let s = init;
  let c = 0;
  for (let i = 0; i < len; i++) {
    const [p, q] = twoProduct(x(i), y(i));
    const t = s + p;
    const z = t - s;
    c += (s - (t - z)) + (p - z) + q;
    s = t;
  }
  return s + c;
}
const at = (M: Matrix<number>, i: number, j: number): number => M.data[i + j * M.rows] as number;

// ---- the checks ----

/** The public functions on the active kernel (`src/linalg`: LAPACK above the small-size switch, JavaScript below or without LAPACK). */
function expectEigen(kernel: F64Kernel, c: KnownSpectrum): void {
  const { values, vectors, method } = symmetricEigen(c.A);
  checkEigen(`${kernel.name} kernel, ${c.name} (n = ${c.A.rows})`, c, values, vectors, symmetricEigenvalues(c.A), method);
}

/** The kernel's own LAPACK entry point (no small-size switch, no scaling). */
function expectKernelEigen(kernel: Required<Pick<F64Kernel, 'symmetricEigen'>> & F64Kernel, c: KnownSpectrum): void {
  const n = c.A.rows;
  const a = Float64Array.from(c.A.data);
  const w = new Float64Array(n);
  kernel.symmetricEigen(true, n, a, w);
  const a2 = Float64Array.from(c.A.data);
  const w2 = new Float64Array(n);
  kernel.symmetricEigen(false, n, a2, w2);
  checkEigen(`${kernel.name} kernel's symmetricEigen(), ${c.name} (n = ${n})`, c, Array.from(w), { rows: n, cols: n, data: Array.from(a) }, Array.from(w2), 'raw LAPACK');
}

function checkEigen(where: string, c: KnownSpectrum, values: readonly number[], vectors: Matrix<number>, only: readonly number[], method: string): void {
  const A = c.A;
  const n = A.rows;
  const tol = C * Math.max(n, 1) * u * c.norm2;
  expect({ where, lengths: [values.length, only.length] }).toEqual({ where, lengths: [n, n] });
  for (let k = 0; k < n; k++) {
    const err = Math.abs((values[k] as number) - (c.values[k] as number));
    const err2 = Math.abs((only[k] as number) - (c.values[k] as number));
    if (!(err <= tol && err2 <= tol)) throw new Error(`${where}: λ_${k} = ${c.values[k]}, with vectors ${values[k]}, values only ${only[k]}: error above ${C}·n·u·‖A‖₂ = ${tol} (${method})`);
  }
  for (let j = 0; j < n; j++) {
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      const r = dot2(n, (p) => at(A, i, p), (p) => at(vectors, p, j), -(values[j] as number) * at(vectors, i, j));
      r2 += r * r;
    }
    if (!(Math.sqrt(r2) <= tol)) throw new Error(`${where}: ‖A v_${j} − λ_${j} v_${j}‖₂ = ${Math.sqrt(r2)} above ${tol} (${method})`);
    for (let l = j; l < n; l++) {
      const g = dot2(n, (p) => at(vectors, p, j), (p) => at(vectors, p, l), j === l ? -1 : 0);
      if (!(Math.abs(g) <= C * n * u)) throw new Error(`${where}: (VᵀV − I)_${j}${l} = ${g} above ${C * n * u} (${method})`);
    }
  }
}

function expectSvd(kernel: F64Kernel, c: KnownSingularValues): void {
  const { U, s, V, method } = svd(c.A);
  checkSvd(`${kernel.name} kernel, ${c.name} (${c.A.rows}×${c.A.cols})`, c, U, s, V, singularValues(c.A), method);
}

function expectKernelSvd(kernel: Required<Pick<F64Kernel, 'svd'>> & F64Kernel, c: KnownSingularValues): void {
  const { rows: m, cols: n } = c.A;
  const r = Math.min(m, n);
  const s = new Float64Array(r);
  const uu = new Float64Array(m * r);
  const vt = new Float64Array(r * n);
  kernel.svd(true, m, n, Float64Array.from(c.A.data), s, uu, vt);
  const s2 = new Float64Array(r);
  kernel.svd(false, m, n, Float64Array.from(c.A.data), s2, new Float64Array(0), new Float64Array(0));
  const V = { rows: n, cols: r, data: Array.from({ length: n * r }, (_, idx) => vt[Math.floor(idx / n) + (idx % n) * r] as number) };
  checkSvd(`${kernel.name} kernel's svd(), ${c.name} (${m}×${n})`, c, { rows: m, cols: r, data: Array.from(uu) }, Array.from(s), V, Array.from(s2), 'raw LAPACK');
}

function checkSvd(where: string, c: KnownSingularValues, U: Matrix<number>, s: readonly number[], V: Matrix<number>, only: readonly number[], method: string): void {
  const A = c.A;
  const { rows: m, cols: n } = A;
  const r = Math.min(m, n);
  const dim = Math.max(m, n, 1);
  const norm = c.s[0] ?? 0;
  const tol = C * dim * u * norm;
  expect({ where, shapes: [U.rows, U.cols, V.rows, V.cols, s.length, only.length] }).toEqual({ where, shapes: [m, r, n, r, r, r] });
  for (let k = 0; k < r; k++) {
    const err = Math.abs((s[k] as number) - (c.s[k] as number));
    const err2 = Math.abs((only[k] as number) - (c.s[k] as number));
    if (!(err <= tol && err2 <= tol && (s[k] as number) >= 0)) throw new Error(`${where}: σ_${k} = ${c.s[k]}, with vectors ${s[k]}, values only ${only[k]}: error above ${C}·max(m,n)·u·‖A‖₂ = ${tol} (${method})`);
  }
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const e = dot2(r, (p) => at(U, i, p) * (s[p] as number), (p) => at(V, j, p), -at(A, i, j));
      if (!(Math.abs(e) <= tol)) throw new Error(`${where}: (A − U Σ Vᵀ)_${i}${j} = ${e} above ${tol} (${method})`);
    }
  }
  for (const [name, Q] of [['U', U], ['V', V]] as const) {
    for (let j = 0; j < r; j++) {
      for (let l = j; l < r; l++) {
        const g = dot2(Q.rows, (p) => at(Q, p, j), (p) => at(Q, p, l), j === l ? -1 : 0);
        if (!(Math.abs(g) <= C * dim * u)) throw new Error(`${where}: (${name}ᵀ${name} − I)_${j}${l} = ${g} above ${C * dim * u} (${method})`);
      }
    }
  }
}

// ---- the oracles ----

function randomLambda(n: number, seed: number, k = 1000): bigint[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => BigInt(Math.floor(rng() * (2 * k + 1)) - k));
}

/** Sizes around the small-matrix switch of dsyevd (25) and OpenBLAS's blocking, none a multiple of anything in particular. */
const SIZES = [1, 2, 3, 5, 24, 25, 26, 31, 33, 65, 130];

function spectra(n: number): KnownSpectrum[] {
  const out = [
    reflectedDiagonal(`Q diag(random integers) Qᵀ, two reflections`, randomLambda(n, n), [integerVector(n, 2, 10 * n + 1), integerVector(n, 2, 10 * n + 2)], n),
    // Eigenvalues 2^30, 2^30 + 1, 2^30 + 2 repeated: clusters of relative width 2·10⁻⁹ with multiplicities ~n/3.
    reflectedDiagonal('clustered and repeated eigenvalues near 2^30', Array.from({ length: n }, (_, i) => 2n ** 30n + BigInt(i % 3)), [integerVector(n, 1, 10 * n + 3)], n + 1),
    rotationBlocks('permuted [[a, b], [b, a]] blocks (eigenvalues a ± b, repeated)', Array.from({ length: n >> 1 }, (_, k) => [BigInt(k % 4) - 1n, 3n] as const), n % 2 === 1 ? 5n : null, n + 2),
    { name: 'zero matrix', A: { rows: n, cols: n, data: new Array<number>(n * n).fill(0) }, values: new Array<number>(n).fill(0), norm2: 0 },
  ];
  // Rank deficient: half the eigenvalues zero.
  out.push(reflectedDiagonal('rank deficient (half the eigenvalues 0)', randomLambda(n, n + 5).map((x, i) => (i % 2 === 0 ? 0n : x)), [integerVector(n, 2, 10 * n + 4)], n + 3));
  return out;
}

const SHAPES: readonly [number, number][] = [
  [1, 1], [1, 7], [7, 1], [2, 2], [3, 5], [5, 3], [1, 130], [130, 1], [31, 16], [16, 31], [65, 40], [40, 65], [130, 65],
];

function singulars(m: number, n: number): KnownSingularValues[] {
  const r = Math.min(m, n);
  const rng = mulberry32(m * 1000 + n);
  const sigma = Array.from({ length: r }, () => BigInt(Math.floor(rng() * 2001) - 1000) || 1n);
  return [
    reflectedSingular('G_m Σ G_n, random σ', m, n, sigma, integerVector(m, 2, m + 7), integerVector(n, 2, n + 8)),
    reflectedSingular('rank deficient (every third σ zero), repeated σ', m, n, sigma.map((x, k) => (k % 3 === 0 ? 0n : k % 3 === 1 ? 17n : x)), integerVector(m, 1, m + 9), integerVector(n, 1, n + 10)),
    { name: 'zero matrix', A: { rows: m, cols: n, data: new Array<number>(m * n).fill(0) }, s: new Array<number>(r).fill(0) },
  ];
}

// ---- the suite ----

const kernels = availableKernels();
const initial = activeKernel().name;
afterAll(() => {
  useKernel(initial);
});

describe('dense decompositions on every float64 kernel: exact spectra within 8·n·u·‖A‖₂', () => {
  // CI sets DLN_EXPECT_KERNEL=native where the system OpenBLAS (with its LAPACK) must be in use.
  const expected = process.env.DLN_EXPECT_KERNEL;
  (expected === 'native' ? it : it.skip)('under DLN_EXPECT_KERNEL=native the native kernel has LAPACK and symmetricEigen/svd run on it', () => {
    const k = useKernel('native');
    expect(k.lapack).toEqual(expect.any(String));
    expect(symmetricEigen((spectra(30)[0] as KnownSpectrum).A).method).toMatch(/^LAPACK dsyevd/);
    expect(svd((singulars(40, 30)[0] as KnownSingularValues).A).method).toMatch(/^LAPACK dgesdd/);
  });

  describe.each(kernels.map((k) => [k.name, k] as const))('%s kernel', (name, kernel) => {
    beforeAll(() => {
      useKernel(name);
    });

    it('`dln-hessian info` says in one line where eigen/SVD run', () => {
      const r = runCli('info', '--size', '16');
      expect(r.code).toBe(0);
      const line = r.stdout.split('\n').filter((l) => l.startsWith('lapack:'));
      expect(line).toEqual([
        kernel.lapack !== undefined
          ? `lapack:   dsyevd, dgesdd from ${kernel.lapack} (symmetric eigen, SVD)`
          : `lapack:   none in the ${name} kernel: symmetric eigen and SVD run in JavaScript`,
      ]);
    });

    it(`says which path ran: LAPACK exactly when the kernel has it and the problem exceeds ${SMALL_DECOMPOSITION_WORK} = 24³`, () => {
      // 25³ > 24³ ≥ 24³, and 40·30·30 > 24³ ≥ 24·24·24.
      const e = symmetricEigen((spectra(25)[0] as KnownSpectrum).A);
      const d = svd((singulars(40, 30)[0] as KnownSingularValues).A);
      if (kernel.symmetricEigen !== undefined) expect(e.method).toBe(`LAPACK dsyevd (Householder tridiagonalisation + divide and conquer) from ${kernel.lapack ?? ''}, binary64`);
      else expect(e.method).toMatch(/^ml-matrix EigenvalueDecomposition/);
      if (kernel.svd !== undefined) expect(d.method).toBe(`LAPACK dgesdd (Householder bidiagonalisation + divide and conquer) from ${kernel.lapack ?? ''}, binary64`);
      else expect(d.method).toMatch(/^ml-matrix SingularValueDecomposition/);
      // Small problems run in JavaScript on every kernel (identical results whatever the kernel).
      expect(symmetricEigen((spectra(24)[0] as KnownSpectrum).A).method).toMatch(/^ml-matrix EigenvalueDecomposition/);
      expect(svd((singulars(24, 24)[0] as KnownSingularValues).A).method).toMatch(/^ml-matrix SingularValueDecomposition/);
    });

    it.each(SIZES)('symmetric eigen, n = %i: random, clustered/repeated, block, zero and rank-deficient spectra', (n) => {
      for (const c of spectra(n)) expectEigen(kernel, c);
    });

    it.each(SHAPES)('SVD %i×%i: random, rank-deficient/repeated and zero', (m, n) => {
      for (const c of singulars(m, n)) expectSvd(kernel, c);
    });

    it('1×1 and 2×2 closed forms: [[−7]] → −7; [[2, 1], [1, 2]] → 1, 3 with vectors (1, ∓1)/√2; ‖(3, 4)‖ = 5', () => {
      expect(symmetricEigen({ rows: 1, cols: 1, data: [-7] }).values).toEqual([-7]);
      expect(symmetricEigenvalues({ rows: 1, cols: 1, data: [-7] })).toEqual([-7]);
      const e = symmetricEigen({ rows: 2, cols: 2, data: [2, 1, 1, 2] });
      expect(Math.abs((e.values[0] as number) - 1)).toBeLessThanOrEqual(4 * u * 3);
      expect(Math.abs((e.values[1] as number) - 3)).toBeLessThanOrEqual(4 * u * 3);
      // Signs normalised: the first entry of largest magnitude is positive, so (1, −1)/√2 and (1, 1)/√2.
      const h = Math.SQRT1_2;
      [h, -h, h, h].forEach((x, i) => expect(Math.abs((e.vectors.data[i] as number) - x)).toBeLessThanOrEqual(4 * u));
      const s = svd({ rows: 1, cols: 2, data: [3, 4] });
      expect(Math.abs((s.s[0] as number) - 5)).toBeLessThanOrEqual(4 * u * 5);
      expect(Math.abs(Math.abs(s.U.data[0] as number) - 1)).toBeLessThanOrEqual(4 * u);
      // V's largest entry positive: v = (3, 4)/5, u = +1.
      [0.6, 0.8].forEach((x, i) => expect(Math.abs((s.V.data[i] as number) - x)).toBeLessThanOrEqual(4 * u));
      expect(s.U.data[0]).toBeGreaterThan(0);
    });
  });

  const native = kernels.find((k) => k.name === 'native' && k.symmetricEigen !== undefined);
  (native === undefined ? describe.skip : describe)('the native kernel’s LAPACK', () => {
    beforeAll(() => {
      useKernel('native');
    });
    afterEach(() => {
      setThreads(availableCores());
      jest.restoreAllMocks();
    });

    it.each(SIZES)('its own symmetricEigen() (dsyevd, no small-size switch), n = %i, values and vectors', (n) => {
      for (const c of spectra(n)) expectKernelEigen(native as Required<Pick<F64Kernel, 'symmetricEigen'>> & F64Kernel, c);
    });

    it.each(SHAPES)('its own svd() (dgesdd, no small-size switch), %i×%i, values and thin factors', (m, n) => {
      for (const c of singulars(m, n)) expectKernelSvd(native as Required<Pick<F64Kernel, 'svd'>> & F64Kernel, c);
    });

    it('agrees with the JavaScript path on eigenvalues and singular values within twice the bound', () => {
      for (const n of [33, 65, 130]) {
        const c = spectra(n)[0] as KnownSpectrum;
        const g = singulars(n, n - 7)[0] as KnownSingularValues;
        useKernel('native');
        const ours = { e: symmetricEigenvalues(c.A), s: singularValues(g.A) };
        useKernel('js');
        const ref = { e: symmetricEigenvalues(c.A), s: singularValues(g.A) };
        useKernel('native');
        ours.e.forEach((x, k) => expect(Math.abs(x - (ref.e[k] as number))).toBeLessThanOrEqual(2 * C * n * u * c.norm2));
        ours.s.forEach((x, k) => expect(Math.abs(x - (ref.s[k] as number))).toBeLessThanOrEqual(2 * C * n * u * (g.s[0] as number)));
      }
    });

    it('with 1 thread and with every core: within the bound at n = 300 and 300×170', () => {
      const c = reflectedDiagonal('Q diag(random integers) Qᵀ, n = 300', randomLambda(300, 3), [integerVector(300, 2, 31)], 4);
      const g = reflectedSingular('G_m Σ G_n, 300×170', 300, 170, randomLambda(170, 5).map((x) => x || 1n), integerVector(300, 2, 32), integerVector(170, 2, 33));
      for (const t of [1, availableCores()]) {
        setThreads(t);
        expect((native as F64Kernel).threads()).toBe(t);
        expectEigen(native as F64Kernel, { ...c, name: `${c.name}, ${t} thread(s)` });
        expectSvd(native as F64Kernel, { ...g, name: `${g.name}, ${t} thread(s)` });
      }
    });

    it('falls back to JavaScript, and says so, when LAPACK reports non-convergence', () => {
      const k = native as F64Kernel & Required<Pick<F64Kernel, 'symmetricEigen' | 'svd'>>;
      jest.spyOn(k, 'symmetricEigen').mockImplementation(() => {
        throw new KernelConvergenceError('LAPACK dsyevd did not converge (INFO = 3)');
      });
      jest.spyOn(k, 'svd').mockImplementation(() => {
        throw new KernelConvergenceError('LAPACK dgesdd did not converge (INFO = 1)');
      });
      const c = spectra(31)[0] as KnownSpectrum;
      const g = singulars(40, 30)[0] as KnownSingularValues;
      expect(symmetricEigen(c.A).method).toMatch(/^ml-matrix .*; LAPACK dsyevd did not converge \(INFO = 3\), so computed in JavaScript$/);
      expect(svd(g.A).method).toMatch(/^ml-matrix .*; LAPACK dgesdd did not converge \(INFO = 1\), so computed in JavaScript$/);
      expectEigen(native as F64Kernel, c);
      expectSvd(native as F64Kernel, g);
    });
  });
});

// ---- an addon linked against a BLAS without LAPACK ----

function nodeHeaders(): string | undefined {
  const candidates = [process.env.DLN_NODE_HEADERS, resolve(dirname(process.execPath), '..', 'include', 'node')].filter((d): d is string => d !== undefined && d !== '');
  return candidates.find((d) => existsSync(join(d, 'node_api.h')));
}

const headers = nodeHeaders();
const haveCc = spawnSync(process.env.CC ?? 'cc', ['--version'], { stdio: 'ignore' }).status === 0;

(headers !== undefined && haveCc && process.platform === 'linux' ? describe : describe.skip)('native addon over a BLAS without LAPACK', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dln-nolapack-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds with the same flags, loads, has gemm but no decompositions, and src/linalg then runs JavaScript', () => {
    // A stand-in "libopenblas.so" exporting the BLAS symbols the addon needs, and no LAPACK.
    writeFileSync(
      join(dir, 'fake.c'),
      [
        'void cblas_dgemm(void) {}',
        'void cblas_dgemv(void) {}',
        'void openblas_set_num_threads(int n) { (void)n; }',
        'int openblas_get_num_threads(void) { return 1; }',
        'char *openblas_get_config(void) { return "stub BLAS without LAPACK"; }',
      ].join('\n'),
    );
    const cc = process.env.CC ?? 'cc';
    const lib = spawnSync(cc, ['-shared', '-fPIC', '-o', join(dir, 'libopenblas.so'), join(dir, 'fake.c')], { encoding: 'utf8' });
    expect(lib.stderr).toBe('');
    const src = join(__dirname, '..', '..', 'src', 'kernels', 'native', 'dln_blas.c');
    const addonPath = join(dir, 'dln_blas.node');
    const build = spawnSync(cc, ['-O2', '-std=c99', '-shared', '-fPIC', '-fvisibility=hidden', `-I${headers ?? ''}`, '-o', addonPath, src, `-L${dir}`, '-lopenblas', `-Wl,-rpath,${dir}`], { encoding: 'utf8' });
    expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });

    type Registry = typeof import('../../src/kernels/registry.js');
    type Eigen = typeof import('../../src/linalg/eigen-f64.js');
    type Svd = typeof import('../../src/linalg/svd-f64.js');
    const saved = { k: process.env.DLN_KERNEL, a: process.env.DLN_NATIVE_ADDON };
    process.env.DLN_KERNEL = 'native';
    process.env.DLN_NATIVE_ADDON = addonPath;
    try {
      jest.isolateModules(() => {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const reg = require('../../src/kernels/registry.js') as Registry;
        const eig = require('../../src/linalg/eigen-f64.js') as Eigen;
        const sv = require('../../src/linalg/svd-f64.js') as Svd;
        /* eslint-enable @typescript-eslint/no-require-imports */
        const k = reg.activeKernel();
        expect(k.name).toBe('native');
        expect(k.description).toBe('system BLAS: stub BLAS without LAPACK');
        expect([k.lapack, k.symmetricEigen, k.svd]).toEqual([undefined, undefined, undefined]);
        expect(eig.symmetricEigen({ rows: 2, cols: 2, data: [2, 1, 1, 2] }).method).toMatch(/^ml-matrix EigenvalueDecomposition/);
        expect(sv.svd({ rows: 1, cols: 2, data: [3, 4] }).method).toMatch(/^ml-matrix SingularValueDecomposition/);
        expect(Math.abs((sv.singularValues({ rows: 1, cols: 2, data: [3, 4] })[0] as number) - 5)).toBeLessThanOrEqual(4 * u * 5);
      });
    } finally {
      for (const [key, v] of [['DLN_KERNEL', saved.k], ['DLN_NATIVE_ADDON', saved.a]] as const) {
        if (v === undefined) delete process.env[key];
        else process.env[key] = v;
      }
    }
  });
});
