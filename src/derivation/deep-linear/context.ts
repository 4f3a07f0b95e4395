/**
 * Shared state of a deep-linear document while it is built: the instance, its two evaluators (the
 * derivation's route), the engine's prepared points (the engine's route), the ledger of checks and
 * the blocks written so far, with helpers that add a checked chain or a verification row.
 */
import { Q } from '../../field/field.js';
import type { Rational } from '../../field/rational.js';
import { preparePoint, residualShapeOf, type NetworkPoint, type NetworkSpec, type Objective } from '../../hessian/point.js';
import { derivationCoefficient } from '../request.js';
import type { Matrix } from '../../linalg/matrix.js';
import type { Chain } from '../chain.js';
import { CheckLedger, layerAssignments } from '../checks.js';
import { code, inline, LINE_BREAK, type Block, type Formula, type Inline } from '../document.js';
import { Evaluator, matrixValue, scalarValue, valuesEqual, type Value } from '../evaluate.js';
import type { Expr } from '../expr.js';
import { compareReals, realCell, realsAgree, valueCell, valueFormula, type ExactReal } from '../values.js';
import type { DeepLinearInstance } from './instance.js';
import type { Variant } from './symbols.js';
import { definitions } from './trees.js';

/** Which point an evaluation is about: the analysed one, or the zero-loss point with the same weights. */
export type Which = 'point' | 'minimizer';

/** The state of a document under construction. */
export class DocContext {
  readonly N: number;
  readonly v: Variant;
  readonly ledger = new CheckLedger();
  readonly blocks: Block[] = [];
  /** Engine: the analysed point and the minimizer (same weights), prepared by `src/hessian`. */
  readonly pt: NetworkPoint<Rational>;
  readonly ptMin: NetworkPoint<Rational>;
  private readonly evaluators: Record<Which, Evaluator<Rational>>;

  constructor(readonly inst: DeepLinearInstance) {
    this.N = inst.depth;
    this.v = { data: inst.data, c: derivationCoefficient(inst.reduction, residualShapeOf(inst.objective)) };
    this.pt = preparePoint(Q, this.spec(inst.objective));
    this.ptMin = preparePoint(Q, this.spec(inst.minimizerObjective));
    this.evaluators = { point: this.evaluator(inst.objective), minimizer: this.evaluator(inst.minimizerObjective) };
  }

  /** The engine's spec of the weights with an objective. */
  spec(objective: Objective<Rational>): NetworkSpec<Rational> {
    return { weights: this.inst.weights, objective, reduction: this.inst.reduction };
  }

  private evaluator(objective: Objective<Rational>): Evaluator<Rational> {
    const inst = this.inst;
    const layer = (list: readonly Matrix<Rational>[], k: number | undefined): Value<Rational> | undefined => {
      const M = k === undefined ? undefined : list[k - 1];
      return M === undefined ? undefined : matrixValue(M);
    };
    return new Evaluator<Rational>({
      F: Q,
      widths: inst.widths,
      ...(objective.kind === 'dln' ? { samples: objective.inputs.cols } : {}),
      definitions: definitions(this.v),
      lookup: (name, idx) => {
        switch (name) {
          case 'W':
            return layer(inst.weights, idx[0]);
          case 'U':
            return layer(inst.direction, idx[0]);
          case 'V':
            return matrixValue(inst.probe);
          case 'M':
            return objective.kind === 'dmf' ? matrixValue(objective.target) : undefined;
          case 'X':
            return objective.kind === 'dln' ? matrixValue(objective.inputs) : undefined;
          case 'Y':
            return objective.kind === 'dln' ? matrixValue(objective.targets) : undefined;
          case 'n':
            return objective.kind === 'dln' ? scalarValue(Q.fromInt(objective.inputs.cols)) : undefined;
          default:
            return undefined;
        }
      },
    });
  }

  /** The derivation's value of a tree at one of the points. */
  value(e: Expr, which: Which = 'point', vars: ReadonlyMap<string, number> = new Map()): Value<Rational> {
    return this.evaluators[which].evaluate(e, vars);
  }

  /** Adds blocks. */
  push(...blocks: Block[]): void {
    this.blocks.push(...blocks);
  }

  /**
   * Shows a chain and checks it on the instance for every assignment of its free layer indices.
   * `vars`: which indices are free (`'i'`, `'i<j'`, `'i,j'`, or `'none'`).
   */
  chain(name: string, c: Chain, vars: 'none' | 'i' | 'j' | 'i<j' | 'i,j', which: Which = 'point'): void {
    this.ledger.chain(name, c.expressions, layerAssignments(this.N, vars), this.evaluators[which], Q);
    this.push(c.block());
  }

  /** A row comparing a tree's value with the engine's value (exact equality). */
  rowValues(name: string, quantity: readonly Inline[], derived: Value<Rational>, engine: Value<Rational>, route: string): void {
    const agrees = valuesEqual(Q, derived, engine);
    this.ledger.row(
      {
        quantity,
        derivation: [valueCell(derived)],
        engine: inline(valueCell(engine), LINE_BREAK, code(route)),
        agrees,
        how: agrees ? 'exact' : `derivation ${valueFormula(derived).text} ≠ engine ${valueFormula(engine).text}`,
      },
      name,
    );
  }

  /** A row comparing a tree with an engine value. */
  rowTree(name: string, quantity: Expr | readonly Inline[], e: Expr, engine: Value<Rational>, route: string, which: Which = 'point', vars: ReadonlyMap<string, number> = new Map()): void {
    const q = Array.isArray(quantity) ? (quantity as readonly Inline[]) : inline(quantity as Expr);
    let derived: Value<Rational>;
    try {
      derived = this.value(e, which, vars);
    } catch (err) {
      this.ledger.fail(name, `could not be evaluated: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.rowValues(name, q, derived, engine, route);
  }

  /** A row comparing two certified reals. */
  rowReals(name: string, quantity: readonly Inline[], derived: ExactReal, engine: ExactReal, route: string): void {
    const order = compareReals(derived, engine);
    const agrees = realsAgree(derived, engine);
    this.ledger.row(
      {
        quantity,
        derivation: [realCell(derived)],
        engine: inline(realCell(engine), LINE_BREAK, code(route)),
        agrees,
        how: order === 'equal' ? 'exact' : order === 'overlap' ? 'enclosures intersect' : `derivation ${order} than engine`,
      },
      name,
    );
  }

  /** A row with free-form cells. */
  rowCells(name: string, quantity: readonly Inline[], derivation: readonly Inline[], engine: readonly Inline[], agrees: boolean, how: string): void {
    this.ledger.row({ quantity, derivation, engine, agrees, how }, name);
  }
}

/** `agrees` cell text. */
export function agreesText(ok: boolean, how: string): Inline[] {
  return inline(ok ? (how === 'exact' ? 'yes (exact)' : `yes (${how})`) : `NO (${how})`);
}

/** A formula for an integer. */
export function intFormula(k: number): Formula {
  return { tex: String(k), text: String(k) };
}
