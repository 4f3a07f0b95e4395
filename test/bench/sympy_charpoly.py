"""SymPy baseline for the exact λ_max benchmark (test/bench/cases/sharpness.ts).

usage: python3 sympy_charpoly.py MATRIX.txt

MATRIX.txt: first line n, then n lines of n exact rationals ("p/q" or "p"), the same matrix the
engine certifies. Computes the exact characteristic polynomial (Matrix.charpoly, Berkowitz over QQ)
and isolates its real roots (Poly.real_roots), the largest being λ_max, and prints one JSON line:
{"seconds", "cpu_seconds", "charpoly_seconds", "roots_seconds", "lambda_max", "degree", "sympy"}. Times exclude
the interpreter start and the import of SymPy.
"""
import json
import sys
import time

import sympy
from sympy import Matrix, Poly, Rational, Symbol


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        lines = [line.split() for line in f if line.strip()]
    n = int(lines[0][0])
    rows = [[Rational(x) for x in line] for line in lines[1 : n + 1]]
    A = Matrix(rows)
    t = Symbol("t")
    c0 = time.process_time()
    t0 = time.perf_counter()
    p = A.charpoly(t)
    t1 = time.perf_counter()
    roots = Poly(p.as_expr(), t).real_roots()
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    top = max(roots)
    print(
        json.dumps(
            {
                "seconds": t2 - t0,
                "cpu_seconds": cpu,
                "charpoly_seconds": t1 - t0,
                "roots_seconds": t2 - t1,
                "lambda_max": float(top.evalf(20)),
                "degree": p.degree(),
                "sympy": sympy.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
