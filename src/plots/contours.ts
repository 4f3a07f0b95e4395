/**
 * Contour lines of a function sampled on a rectangular grid, by marching squares with linear
 * interpolation along cell edges (saddle cells resolved by the cell-centre average). Cells with a
 * missing (`null`) corner are skipped.
 */

/** One straight piece of the contour at `level`. */
export interface ContourSegment {
  readonly level: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * The segments of the level sets `z = level` for each level, with `z[j][i]` the value at
 * `(x[i], y[j])`.
 */
export function contourSegments(x: readonly number[], y: readonly number[], z: readonly (readonly (number | null)[])[], levels: readonly number[]): ContourSegment[] {
  const out: ContourSegment[] = [];
  for (const level of levels) {
    for (let j = 0; j + 1 < y.length; j++) {
      for (let i = 0; i + 1 < x.length; i++) {
        const v00 = z[j]?.[i] ?? null;
        const v10 = z[j]?.[i + 1] ?? null;
        const v11 = z[j + 1]?.[i + 1] ?? null;
        const v01 = z[j + 1]?.[i] ?? null;
        if (v00 === null || v10 === null || v11 === null || v01 === null) continue;
        const x0 = x[i] as number;
        const x1 = x[i + 1] as number;
        const y0 = y[j] as number;
        const y1 = y[j + 1] as number;
        // Corners counter-clockwise: (x0,y0), (x1,y0), (x1,y1), (x0,y1); edges 0: bottom, 1: right, 2: top, 3: left.
        const code = (v00 > level ? 1 : 0) | (v10 > level ? 2 : 0) | (v11 > level ? 4 : 0) | (v01 > level ? 8 : 0);
        if (code === 0 || code === 15) continue;
        const t = (a: number, b: number): number => (a === b ? 0.5 : (level - a) / (b - a));
        const point = (edge: number): [number, number] => {
          switch (edge) {
            case 0:
              return [x0 + t(v00, v10) * (x1 - x0), y0];
            case 1:
              return [x1, y0 + t(v10, v11) * (y1 - y0)];
            case 2:
              return [x0 + t(v01, v11) * (x1 - x0), y1];
            default:
              return [x0, y0 + t(v00, v01) * (y1 - y0)];
          }
        };
        const seg = (e1: number, e2: number): void => {
          const [ax, ay] = point(e1);
          const [bx, by] = point(e2);
          out.push({ level, x1: ax, y1: ay, x2: bx, y2: by });
        };
        const centreAbove = (v00 + v10 + v11 + v01) / 4 > level;
        switch (code) {
          case 1:
          case 14:
            seg(3, 0);
            break;
          case 2:
          case 13:
            seg(0, 1);
            break;
          case 3:
          case 12:
            seg(3, 1);
            break;
          case 4:
          case 11:
            seg(1, 2);
            break;
          case 6:
          case 9:
            seg(0, 2);
            break;
          case 7:
          case 8:
            seg(3, 2);
            break;
          case 5:
            // Corners 0 and 2 above.
            if (centreAbove) {
              seg(3, 2);
              seg(0, 1);
            } else {
              seg(3, 0);
              seg(1, 2);
            }
            break;
          case 10:
            // Corners 1 and 3 above.
            if (centreAbove) {
              seg(3, 0);
              seg(1, 2);
            } else {
              seg(0, 1);
              seg(3, 2);
            }
            break;
        }
      }
    }
  }
  return out;
}

/** `count` levels evenly spaced strictly inside `[lo, hi]`. */
export function evenLevels(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [];
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * (k + 1)) / (count + 1));
}
