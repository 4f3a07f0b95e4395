"""Baseline for the `kernels` group of `npm run bench`: float64 matrix product (torch.mm) in
PyTorch on the CPU, with 1 thread and with 2 threads (torch.set_num_threads), best of timed runs.

Usage: python3 torch_matmul.py [--sizes 512,1024] [--threads 1,2] [--seconds 1.0] [--max-runs 30]
Prints one JSON object: torch version, default threads, and per (threads, size) the best and median
seconds, the mean, and GFLOP/s (2 n^3 / seconds) of the best and of the mean run.
"""
import argparse
import json
import statistics
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="512,1024")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--max-runs", type=int, default=30)
    a = p.parse_args()
    default_threads = torch.get_num_threads()
    gen = torch.Generator().manual_seed(0)
    rows = []
    for threads in [int(t) for t in a.threads.split(",") if t]:
        torch.set_num_threads(threads)
        for n in [int(s) for s in a.sizes.split(",") if s]:
            A = torch.rand((n, n), generator=gen, dtype=torch.float64) * 2 - 1
            B = torch.rand((n, n), generator=gen, dtype=torch.float64) * 2 - 1
            C = torch.mm(A, B)  # warm-up
            samples = []
            total = 0.0
            while len(samples) < a.max_runs and (len(samples) < 3 or total < a.seconds):
                t0 = time.perf_counter()
                torch.mm(A, B, out=C)
                s = time.perf_counter() - t0
                samples.append(s)
                total += s
            best = min(samples)
            mean = total / len(samples)
            rows.append({"threads": threads, "n": n, "best": best, "median": statistics.median(samples), "mean": mean, "runs": len(samples), "gflops": 2 * n**3 / best / 1e9, "mean_gflops": 2 * n**3 / mean / 1e9})
    torch.set_num_threads(default_threads)
    print(json.dumps({"torch": torch.__version__, "default_threads": default_threads, "results": rows}))


if __name__ == "__main__":
    main()
