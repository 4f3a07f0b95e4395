"""Baseline for `npm run bench`: the recipe users run today for the top Hessian eigenvalue
(PyHessian-style power iteration on double-backward Hessian-vector products, tolerance 1e-3,
at most 100 iterations), in PyTorch on the CPU, float64, on the same deep matrix factorization.

Usage: python3 torch_hvp_power.py WEIGHTS.bin N d [THREADS]
WEIGHTS.bin holds N column-major d×d float64 matrices W_1..W_N; the target is their product.
THREADS (default 1) is pinned before torch is imported (torch_threads.py).
Prints one JSON object: lambda, seconds (the iteration alone), iterations, hvp_seconds, and the thread
counts in effect.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_threads import load_dmf, pin_threads, thread_report  # noqa: E402

path, N, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
pin_threads(threads)
import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(threads)
Ws, M = load_dmf(torch, np, path, N, d)


def loss():
    P = Ws[0]
    for W in Ws[1:]:
        P = W @ P
    return 0.5 * ((P - M) ** 2).sum()


L = loss()
grads = torch.autograd.grad(L, Ws, create_graph=True)


def hvp(vs):
    return torch.autograd.grad(grads, Ws, grad_outputs=vs, retain_graph=True)


gen = torch.Generator().manual_seed(0)
v = [torch.randn(W.shape, generator=gen, dtype=torch.float64) for W in Ws]
norm = torch.sqrt(sum((x * x).sum() for x in v))
v = [x / norm for x in v]
eig = None
t0 = time.perf_counter()
it = 0
hvp_time = 0.0
for it in range(1, 101):
    t1 = time.perf_counter()
    Hv = hvp(v)
    hvp_time += time.perf_counter() - t1
    new = float(sum((a * b).sum() for a, b in zip(Hv, v)))
    norm = torch.sqrt(sum((x * x).sum() for x in Hv))
    v = [x / norm for x in Hv]
    if eig is not None and abs(new - eig) / (abs(eig) + 1e-6) < 1e-3:
        eig = new
        break
    eig = new
seconds = time.perf_counter() - t0
print(json.dumps({"lambda": eig, "seconds": seconds, "iterations": it, "hvp_seconds": hvp_time / it, "torch": torch.__version__, "threads": threads, **thread_report(torch)}))
