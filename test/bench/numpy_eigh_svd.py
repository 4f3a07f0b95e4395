"""Baseline for the dense-decomposition rows of the `kernels` group of `npm run bench`: NumPy's
symmetric eigensolver and SVD (LAPACK dsyevd / dgesdd underneath) on ONE thread, float64.

The thread limits are set in the environment before numpy is imported (the BLAS reads them when it
loads), so the figures really are single-threaded; the bench also sets them in the child's env.

Usage: python3 numpy_eigh_svd.py [--sizes 256,512,1024] [--seconds 1.0] [--max-runs 10]
Prints one JSON object: numpy version, the thread limit, and per (operation, n) the best and median
seconds. Operations: eigvalsh (values only), eigh (values and vectors), svdvals
(np.linalg.svd(compute_uv=False)), svd (thin: full_matrices=False). Inputs: A = (X + X^T)/2 and X,
X uniform in [-1, 1) from a fixed seed.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def timed(fn, seconds, max_runs):
    fn()  # warm-up
    samples = []
    total = 0.0
    while len(samples) < max_runs and (len(samples) < 3 or total < seconds):
        t0 = time.perf_counter()
        fn()
        s = time.perf_counter() - t0
        samples.append(s)
        total += s
    return min(samples), statistics.median(samples), len(samples)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="256,512,1024")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--max-runs", type=int, default=10)
    a = p.parse_args()
    rng = np.random.default_rng(0)
    ops = {
        "eigvalsh": lambda A, X: np.linalg.eigvalsh(A),
        "eigh": lambda A, X: np.linalg.eigh(A),
        "svdvals": lambda A, X: np.linalg.svd(X, compute_uv=False),
        "svd": lambda A, X: np.linalg.svd(X, full_matrices=False),
    }
    rows = []
    for n in [int(s) for s in a.sizes.split(",") if s]:
        X = rng.uniform(-1.0, 1.0, size=(n, n))
        A = (X + X.T) / 2
        for name, op in ops.items():
            best, median, runs = timed(lambda: op(A, X), a.seconds, a.max_runs)
            rows.append({"op": name, "n": n, "best": best, "median": median, "runs": runs})
    print(json.dumps({"numpy": np.__version__, "threads": os.environ["OPENBLAS_NUM_THREADS"], "results": rows}))


if __name__ == "__main__":
    main()
