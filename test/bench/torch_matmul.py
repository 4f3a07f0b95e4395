"""Baseline for the `kernels` group of `npm run bench`: float64 matrix product (torch.mm) in
PyTorch on the CPU, with 1 thread and with 2 threads, best of timed runs.

Each thread count runs in its own process with OMP_NUM_THREADS / MKL_NUM_THREADS /
OPENBLAS_NUM_THREADS set before torch is imported, plus torch.set_num_threads (see torch_threads.py:
Debian's torch multiplies with the system OpenBLAS, which ignores torch.set_num_threads, so the former
in-process "1 thread" figure used both cores). Each row says the thread counts in effect.

Usage: python3 torch_matmul.py [--sizes 512,1024] [--threads 1,2] [--seconds 1.0] [--max-runs 30]
Prints one JSON object: torch version, and per (threads, size) the best and median seconds, the mean,
GFLOP/s (2 n^3 / seconds) of the best and of the mean run, and the thread report of its process.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import pin_threads, run_each, thread_report  # noqa: E402


def measure(threads, sizes, seconds, max_runs):
    pin_threads(threads)
    import torch

    torch.set_num_threads(threads)
    report = thread_report(torch)
    gen = torch.Generator().manual_seed(0)
    rows = []
    for n in sizes:
        A = torch.rand((n, n), generator=gen, dtype=torch.float64) * 2 - 1
        B = torch.rand((n, n), generator=gen, dtype=torch.float64) * 2 - 1
        C = torch.mm(A, B)  # warm-up
        samples = []
        total = 0.0
        while len(samples) < max_runs and (len(samples) < 3 or total < seconds):
            t0 = time.perf_counter()
            torch.mm(A, B, out=C)
            s = time.perf_counter() - t0
            samples.append(s)
            total += s
        best = min(samples)
        mean = total / len(samples)
        rows.append({"threads": threads, "n": n, "best": best, "median": statistics.median(samples), "mean": mean, "runs": len(samples), "gflops": 2 * n**3 / best / 1e9, "mean_gflops": 2 * n**3 / mean / 1e9, **report})
    return {"torch": torch.__version__, "results": rows}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="512,1024")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--max-runs", type=int, default=30)
    a = p.parse_args()
    threads = [int(t) for t in a.threads.split(",") if t]
    sizes = [int(s) for s in a.sizes.split(",") if s]
    if len(threads) == 1:
        print(json.dumps(measure(threads[0], sizes, a.seconds, a.max_runs)))
        return
    parts = run_each(os.path.abspath(__file__), ["--sizes", a.sizes, "--seconds", str(a.seconds), "--max-runs", str(a.max_runs)], threads)
    print(json.dumps({"torch": parts[0]["torch"], "results": [row for part in parts for row in part["results"]]}))


if __name__ == "__main__":
    main()
