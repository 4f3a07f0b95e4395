/**
 * The autodiff path at wide layers: `λ_max` of the Hessian of a depth-3 deep matrix factorization
 * computed on a TensorFlow.js backend (reverse-over-reverse HVPs, Lanczos on the device, float32)
 * agrees with the binary64 closed forms within the float32 tolerance the backend declares.
 *
 * - at generated minimizers (`wideSignMinimizer`, exact in float32) the reference is K-Lanczos on
 *   the reduced operator (`deepLinearReference(model).lambdaMax()`);
 * - at random points (`wideRandomPoint`, not minimizers) it is Lanczos on the closed-form HVP.
 *
 * Widths: 256 by default (both kinds; about a minute on 2 cores). `PROOFS_WIDE=1` adds width 1024
 * (both kinds) and 2048 (minimizer only): on the 2-core build machine the closed-form references
 * alone take about 4 min (1024, minimizer), 9 min (1024, random point) and 40 min (2048, minimizer,
 * 25 s per K product), and Lanczos on the closed-form HVP at 2048 (≈ 60 s per product) about an
 * hour, so the random point is not run at 2048. `PROOFS_AUTODIFF_WIDTHS=256,512` (minimizers) and
 * `PROOFS_AUTODIFF_RANDOM_WIDTHS=256` choose the widths explicitly.
 *
 * Backend: WebGL when it starts (headless Chromium), else wasm, else cpu; `PROOFS_AUTODIFF_BACKEND` names one.
 */
import { deepLinearReference } from '../src/autodiff/crosscheck.js';
import { deepLinearDeviceModel } from '../src/autodiff/device-model.js';
import { isBackendName, startBackend, type AutodiffEigenResult, type AutodiffSession } from '../src/autodiff/session.js';
import { BackendUnavailableError, type BackendName } from '../src/autodiff/transport.js';
import { wideRandomPoint, wideSignMinimizer } from '../src/generators/wide.js';
import type { DmfModel } from '../src/models/model.js';
import type { CheckCase, CheckOutcome } from './check.js';

/** A check whose run is asynchronous (the autodiff backends answer through promises). */
export interface AsyncClaimCheck {
  readonly id: string;
  readonly claim: string;
  readonly run: () => Promise<CheckOutcome>;
}

const DEPTH = 3;
const MINIMIZER_SEED = 1;
const RANDOM_SEED = 2;
/** The order in which backends are tried (`PROOFS_AUTODIFF_BACKEND=wasm` names one). */
function preference(): readonly BackendName[] {
  const named = process.env['PROOFS_AUTODIFF_BACKEND'];
  if (named === undefined || named === '') return ['webgl', 'wasm', 'cpu'];
  if (!isBackendName(named)) throw new Error(`PROOFS_AUTODIFF_BACKEND must be one of cpu, wasm, webgl, got "${named}"`);
  return [named];
}

function widthsFrom(variable: string, fallback: readonly number[]): number[] {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const widths = raw.split(',').map((s) => Number(s.trim()));
  if (widths.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`${variable} must be a comma-separated list of positive integers, got "${raw}"`);
  return widths;
}

/** Which widths run: minimizers and random points. */
export function autodiffWidthPlan(): { minimizers: number[]; random: number[]; wide: boolean } {
  const wide = process.env['PROOFS_WIDE'] === '1';
  return {
    minimizers: widthsFrom('PROOFS_AUTODIFF_WIDTHS', wide ? [256, 1024, 2048] : [256]),
    random: widthsFrom('PROOFS_AUTODIFF_RANDOM_WIDTHS', wide ? [256, 1024] : [256]),
    wide,
  };
}

async function firstBackend(): Promise<{ session: AutodiffSession; skipped: string[] }> {
  const skipped: string[] = [];
  for (const name of preference()) {
    try {
      return { session: await startBackend(name), skipped };
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      skipped.push(`${name}: ${e.message}`);
    }
  }
  throw new Error(`no autodiff backend started (${skipped.join('; ')})`);
}

const fmtS = (s: number): string => (s < 60 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);

async function compare(session: AutodiffSession, kind: 'minimizer' | 'random point', d: number): Promise<CheckCase> {
  const widths = Array.from({ length: DEPTH + 1 }, () => d);
  const model: DmfModel<number> = kind === 'minimizer' ? wideSignMinimizer({ widths, seed: MINIMIZER_SEED }) : wideRandomPoint({ widths, seed: RANDOM_SEED });
  const name = `${kind}, widths ${widths.join('-')} (seed ${kind === 'minimizer' ? MINIMIZER_SEED : RANDOM_SEED}), ${session.backend}`;
  process.stderr.write(`  autodiff-widths: ${name} ... `);

  const t0 = performance.now();
  const top = deepLinearReference(model).lambdaMax();
  const closedSeconds = (performance.now() - t0) / 1000;

  const t1 = performance.now();
  const auto = await session.load(deepLinearDeviceModel(model, (x) => x));
  let eig: AutodiffEigenResult;
  try {
    eig = await auto.eigen({ k: 1, seed: 0 });
  } finally {
    await auto.dispose();
  }
  const autoSeconds = (performance.now() - t1) / 1000;
  const lambda = eig.eigenvalues[0] as number;
  const rel = Math.abs(lambda - top.value) / Math.abs(top.value);
  // As `crosscheck`: the backend's γ, the device Lanczos tolerance and the closed form's (1e-10).
  const tolerance = auto.tolerance + eig.tolerance + 1e-10;
  const passed = rel <= tolerance && eig.converged;
  process.stderr.write(`${passed ? 'agrees' : 'DISAGREES'} (closed ${fmtS(closedSeconds)}, autodiff ${fmtS(autoSeconds)})\n`);
  return {
    name,
    passed,
    details:
      `closed form λ_max = ${top.value.toPrecision(12)} (${top.method}; residual ${top.residual.toExponential(1)}; ${fmtS(closedSeconds)} with the point prepared); ` +
      `autodiff λ_max = ${lambda.toPrecision(9)} (device Lanczos, ${eig.iterations} steps, ${eig.matvecs} HVPs, ${eig.converged ? 'converged' : 'NOT converged'}, residual ${(eig.residuals[0] ?? NaN).toExponential(1)}; ${fmtS(autoSeconds)} with the load); ` +
      `relative difference ${rel.toExponential(2)} ${rel <= tolerance ? '≤' : '>'} tolerance ${tolerance.toExponential(2)} ` +
      `(float32 γ = ${auto.tolerance.toExponential(2)} for width ${d}, depth ${DEPTH} + device Lanczos ${eig.tolerance.toExponential(2)} + closed form 1e-10)`,
  };
}

export const autodiffWidths: AsyncClaimCheck = {
  id: 'autodiff-lambda-max-wide',
  claim:
    'docs/autodiff.md: at wide layers the autodiff λ_max (TensorFlow.js, reverse-over-reverse Hessian–vector products in float32, ' +
    'Lanczos with full reorthogonalisation on the device) agrees with the binary64 closed forms within the float32 tolerance the backend ' +
    'declares (γ = (4N + 4)·6·√d·2⁻²⁴ plus the Lanczos tolerances): depth-3 deep matrix factorization, at generated zero-loss minimizers ' +
    '(entries ±2^−e, exact in float32; reference: K-Lanczos on the reduced operator) and at Gaussian random points (reference: Lanczos on ' +
    'the closed-form HVP). Width 256 by default; with PROOFS_WIDE=1 also 1024 and 2048 (minimizers) and 1024 (random points; the ' +
    'closed-form HVP-Lanczos at 2048 would take about an hour on 2 cores). The backend is WebGL when it starts, else wasm, else cpu; ' +
    'the first case names the backend, its device and the widths run.',
  async run(): Promise<CheckOutcome> {
    const plan = autodiffWidthPlan();
    const { session, skipped } = await firstBackend();
    process.stderr.write(`  autodiff-widths: backend ${session.describe()}\n`);
    const cases: CheckCase[] = [
      {
        name: 'scope: backend and widths',
        passed: true,
        details:
          `backend ${session.describe()}${skipped.length > 0 ? ` (not started: ${skipped.join('; ')})` : ''}; ` +
          `minimizers at widths ${plan.minimizers.join(', ')}; random points at widths ${plan.random.join(', ')}` +
          (plan.wide ? ' (PROOFS_WIDE=1)' : ' (default; PROOFS_WIDE=1 adds 1024 and 2048)'),
      },
    ];
    // Narrow widths first, so that a failure at a wide one (a device out of memory) leaves the others reported.
    const runs = [...plan.minimizers.map((d) => ({ kind: 'minimizer' as const, d })), ...plan.random.map((d) => ({ kind: 'random point' as const, d }))].sort(
      (x, y) => x.d - y.d,
    );
    try {
      for (const { kind, d } of runs) {
        try {
          cases.push(await compare(session, kind, d));
        } catch (e) {
          process.stderr.write(`failed\n`);
          cases.push({ name: `${kind}, width ${d}, ${session.backend}`, passed: false, details: `did not complete: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
    } finally {
      await session.close();
    }
    return { cases };
  },
};
