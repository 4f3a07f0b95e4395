/**
 * The last section of a deep-linear document: the worked instance, every matrix exactly, and the
 * verification table (each quantity from the derivation's trees against the engine's closed forms).
 */
import type { Rational } from '../../field/rational.js';
import type { Matrix } from '../../linalg/matrix.js';
import { code, display, formula, heading, paragraph, type Block, type Formula } from '../document.js';
import { joined } from './first-order.js';
import { matrixFormula } from '../values.js';
import type { DocContext } from './context.js';
import { agreesText } from './context.js';

function named(name: string, nameText: string, M: Matrix<Rational>): Formula {
  const f = matrixFormula(M, true);
  return formula(`${name} = ${f.tex}`, `${nameText} = ${f.text}`);
}

/** The worked-instance section (numbered `number`). */
export function workedInstanceSection(ctx: DocContext, number: number): void {
  const { inst } = ctx;
  ctx.push(heading(1, `${number}. Worked instance and verification`));
  if (inst.source === null) {
    ctx.push(
      paragraph(
        'The built-in instance: ',
        formula('W_i = Q_i D_i Q_{i-1}^{\\top}', 'W_i = Q_iD_iQ_{i−1}ᵀ'),
        ' with rational orthogonal ',
        formula('Q_k', 'Q_k'),
        ' (Householder reflections of small integer vectors',
        inst.data ? '; Q_0 = I' : '',
        ') and diagonal ',
        formula('D_i', 'D_i'),
        ', so that no matrix is diagonal but every eigenvalue in Section 4 is rational. ',
        inst.data
          ? 'The inputs have orthogonal rows (a scaled Hadamard matrix) and the targets are PX minus a small error, so the residual is not zero.'
          : 'The target is P minus a small error, so the residual R is not zero.',
        ' The direction ',
        formula('U', 'U'),
        ' and the probe ',
        formula('V', 'V'),
        ' are fixed pseudo-random rationals (seed 2509).',
      ),
    );
  } else {
    ctx.push(paragraph('The model ', code(inst.source), inst.isMinimizer ? ' (a zero-loss point).' : '.', ' The direction ', formula('U', 'U'), ' and the probe ', formula('V', 'V'), ' are fixed pseudo-random rationals (seed 2509).'));
  }
  const weights = inst.weights.map((W, k) => named(`W_{${k + 1}}`, `W_${k + 1}`, W));
  const problem = inst.objective.kind === 'dmf' ? [named('M', 'M', inst.objective.target)] : [named('X', 'X', inst.objective.inputs), named('Y', 'Y', inst.objective.targets)];
  const derived = [named('P', 'P', ctx.pt.P), named('R', 'R', ctx.pt.R)];
  const direction = inst.direction.map((U, k) => named(`U_{${k + 1}}`, `U_${k + 1}`, U));
  for (const group of [weights, problem, derived, [...direction, named('V', 'V', inst.probe)]]) {
    for (let k = 0; k < group.length; k += 3) ctx.push(display(joined(group.slice(k, k + 3))));
  }
  const rows = ctx.ledger.rows.map((r) => [r.quantity, r.derivation, r.engine, agreesText(r.agrees, r.how)]);
  const table: Block = { kind: 'table', header: ['quantity', 'from the derivation', 'from the engine', 'agrees'], rows };
  ctx.push(
    paragraph(
      'Each quantity below is computed twice: "from the derivation" evaluates the expression trees of this document exactly (rational arithmetic, dense matrix products only), "from the engine" is the closed form of ',
      code('src/hessian'),
      ' (or the certificate of ',
      code('src/spectral'),
      ') named in the cell. Values that are irrational are shown by the digits their rigorous enclosures share.',
    ),
    table,
  );
}
