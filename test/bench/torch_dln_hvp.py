"""Baseline for the `autodiff` group of `npm run bench`: seconds per Hessian-vector product of the
deep matrix factorization loss L = 1/2 ||W_3 W_2 W_1 - M||_F^2 (square d x d layers) in PyTorch on
the CPU, by double backward, in float32 and float64, with one thread and one thread per core (when
that differs). Each thread count runs in its own process with the thread variables set before torch
is imported (torch_threads.py: torch.set_num_threads alone leaves Debian's OpenBLAS on every core);
each row carries the thread counts in effect.

Usage: python3 torch_dln_hvp.py [--sizes 256,512,1024,2048] [--depth 3] [--seconds 3] [--max-product 60] [--threads 1,2]

The inputs are generated here with a fixed seed, with the shapes and scale of the JavaScript side's
`wideSignMinimizer`: entries +-2^-e with 2^e the power of two nearest sqrt(d), and M = W_N ... W_1
(a zero-loss minimizer). Two timings per configuration:

- `full`: forward pass, gradient with create_graph=True and the double backward, all per product
  (what the tfjs backends do for every product: reverse over reverse from scratch);
- `reuse`: the gradient graph built once and only the double backward repeated (PyHessian's recipe).

A size whose first product takes longer than --max-product seconds ends that configuration (larger
sizes are recorded as skipped). Prints one JSON object.
"""
import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import pin_threads, run_each, thread_report  # noqa: E402

torch = None  # imported by measure() once the threads are pinned


def sign_minimizer(d, depth, dtype, seed):
    gen = torch.Generator().manual_seed(seed)
    scale = 2.0 ** -round(math.log2(math.sqrt(d)))
    Ws = []
    for _ in range(depth):
        bits = torch.randint(0, 2, (d, d), generator=gen)
        Ws.append(((bits * 2 - 1).to(dtype) * scale).requires_grad_(True))
    with torch.no_grad():
        P = Ws[0]
        for W in Ws[1:]:
            P = W @ P
    return Ws, P.detach().clone()


def loss_of(Ws, M):
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    return 0.5 * ((P - M) ** 2).sum()


def time_config(d, depth, dtype, seconds):
    Ws, M = sign_minimizer(d, depth, dtype, seed=d)
    gen = torch.Generator().manual_seed(1)
    v = [torch.randn(W.shape, generator=gen, dtype=dtype) for W in Ws]

    def full():
        grads = torch.autograd.grad(loss_of(Ws, M), Ws, create_graph=True)
        return torch.autograd.grad(grads, Ws, grad_outputs=v)

    grads_once = torch.autograd.grad(loss_of(Ws, M), Ws, create_graph=True)

    def reuse():
        return torch.autograd.grad(grads_once, Ws, grad_outputs=v, retain_graph=True)

    out = {}
    for name, fn in (("full", full), ("reuse", reuse)):
        t0 = time.perf_counter()
        Hv = fn()  # warm-up, timed to choose the repetitions
        first = time.perf_counter() - t0
        reps = max(1, min(20, int(seconds / max(first, 1e-6))))
        t0 = time.perf_counter()
        for _ in range(reps):
            Hv = fn()
        out[name] = (time.perf_counter() - t0) / reps
        out[name + "_reps"] = reps
        out[name + "_first"] = first
    out["hv_norm"] = float(torch.sqrt(sum((h.double() ** 2).sum() for h in Hv)))
    return out


def measure(threads, a):
    global torch
    pin_threads(threads)
    import torch as _torch

    torch = _torch
    torch.set_num_threads(threads)
    report = thread_report(torch)
    label = "1 thread" if threads == 1 else f"{threads} threads"
    sizes = [int(s) for s in a.sizes.split(",") if s]
    results = []
    for dtype in (torch.float32, torch.float64):
        stop = None
        for d in sizes:
            row = {"d": d, "dtype": str(dtype).replace("torch.", ""), "threads": threads, "threads_label": label, **report}
            if stop is not None:
                row["skipped"] = stop
            else:
                r = time_config(d, a.depth, dtype, a.seconds)
                row.update(r)
                if r["full_first"] * 8 > a.max_product:
                    stop = f"the product at d = {d} took {r['full_first']:.1f} s; the next size would take about 8x that"
            results.append(row)
    return {"torch": torch.__version__, "results": results}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="256,512,1024,2048")
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--max-product", type=float, default=60.0)
    p.add_argument("--threads", default=None, help="comma-separated thread counts (default: 1 and one per core)")
    a = p.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = [int(t) for t in a.threads.split(",") if t] if a.threads else sorted({1, cores})
    if len(threads) == 1:
        out = measure(threads[0], a)
    else:
        args = ["--sizes", a.sizes, "--depth", str(a.depth), "--seconds", str(a.seconds), "--max-product", str(a.max_product)]
        parts = run_each(os.path.abspath(__file__), args, threads)
        out = {"torch": parts[0]["torch"], "results": [row for part in parts for row in part["results"]]}
    # default_threads: the thread count torch would pick unpinned on this machine (one per core).
    print(json.dumps({**out, "default_threads": cores, "cores": cores, "depth": a.depth}))


if __name__ == "__main__":
    main()
