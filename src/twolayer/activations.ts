/**
 * Activations `σ` with their first and second derivatives, generic in the field where the formula is
 * rational (identity, quadratic `σ(z) = z²`, ReLU away from 0) and binary64 only where it is not
 * (tanh, sigmoid: `exp` of a nonzero rational is irrational).
 *
 * ReLU at a kink: `σ(0) = 0`, but `σ'(0)` and `σ''(0)` do not exist (the loss is not twice
 * differentiable there). {@link evaluateActivation} flags the point (`kink: true`) and returns the
 * documented float64 convention `σ'(0) = σ''(0) = 0`; exact callers refuse (see `KinkError`).
 */
import type { Field } from '../field/field.js';
import type { ActivationName } from './model.js';

/** `σ(z)`, `σ'(z)`, `σ''(z)` at one point, and whether `z` is a ReLU kink (exactly 0). */
export interface ActivationValue<S> {
  readonly value: S;
  readonly d1: S;
  readonly d2: S;
  readonly kink: boolean;
}

/** Thrown when an activation is evaluated in a field it has no closed form in (tanh or sigmoid over Q). */
export class InexactActivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InexactActivationError';
  }
}

/** Binary64 `σ, σ', σ''` for the float-only activations (and the exact ones). */
export function activationF64(name: ActivationName, z: number): ActivationValue<number> {
  switch (name) {
    case 'identity':
      return { value: z, d1: 1, d2: 0, kink: false };
    case 'quadratic':
      return { value: z * z, d1: 2 * z, d2: 2, kink: false };
    case 'relu':
      return z > 0 ? { value: z, d1: 1, d2: 0, kink: false } : { value: 0, d1: 0, d2: 0, kink: z === 0 };
    case 'tanh': {
      // σ' = 1 − t², σ'' = −2t(1 − t²).
      const t = Math.tanh(z);
      const g = 1 - t * t;
      return { value: t, d1: g, d2: -2 * t * g, kink: false };
    }
    case 'sigmoid': {
      // σ = 1/(1 + e^{−z}) written without overflow; σ' = σ(1 − σ), σ'' = σ(1 − σ)(1 − 2σ).
      const s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const g = s * (1 - s);
      return { value: s, d1: g, d2: g * (1 - 2 * s), kink: false };
    }
  }
}

/**
 * `σ(z)`, `σ'(z)`, `σ''(z)` in the field `F`: exactly over `Q` for identity, quadratic and ReLU;
 * tanh and sigmoid only over `F64` (throws {@link InexactActivationError} otherwise).
 * ReLU: `σ'(z) = [z > 0]`, `σ''(z) = 0`; at `z = 0` the result carries `kink: true` and the
 * convention `σ'(0) = σ''(0) = 0`.
 */
export function evaluateActivation<S>(F: Field<S>, name: ActivationName, z: S): ActivationValue<S> {
  switch (name) {
    case 'identity':
      return { value: z, d1: F.one, d2: F.zero, kink: false };
    case 'quadratic':
      return { value: F.mul(z, z), d1: F.add(z, z), d2: F.fromInt(2), kink: false };
    case 'relu': {
      const sg = F.sign(z);
      return sg > 0 ? { value: z, d1: F.one, d2: F.zero, kink: false } : { value: F.zero, d1: F.zero, d2: F.zero, kink: sg === 0 };
    }
    case 'tanh':
    case 'sigmoid': {
      if (F.name !== 'F64') {
        throw new InexactActivationError(`activation "${name}" has no exact closed form (it needs exp); use float64 arithmetic (drop --exact)`);
      }
      const v = activationF64(name, F.toNumber(z));
      return { value: F.fromNumber(v.value), d1: F.fromNumber(v.d1), d2: F.fromNumber(v.d2), kink: false };
    }
  }
}

/** Whether `σ''` vanishes identically (identity and ReLU), so the `diag(W_2ᵀr ⊙ σ''(z))` term of `H_11` is absent. */
export function hasZeroSecondDerivative(name: ActivationName): boolean {
  return name === 'identity' || name === 'relu';
}
