"""Baseline for `npm run bench` (sharpness-process): the top Hessian eigenvalue to 1e-10 the way a
PyTorch user gets it today: double-backward Hessian-vector products in PyTorch (CPU, float64) behind a
scipy.sparse.linalg.LinearOperator, and ARPACK's implicitly restarted Lanczos
(scipy.sparse.linalg.eigsh, k=1, which='LA', tol=1e-10), on the deep matrix factorization
L = 1/2 ||W_N ... W_1 - M||_F^2 with M the product of the given weights (a zero-loss minimizer).

Usage: python3 torch_eigsh.py WEIGHTS.bin N d [THREADS]
WEIGHTS.bin holds N column-major d×d float64 matrices W_1..W_N. THREADS (default 1) is pinned before
torch and numpy are imported (torch_threads.py). The start vector is seeded (numpy, seed 0).
Prints one JSON object: lambda, seconds (eigsh alone), hvps, the relative residual
||Hv − λv|| / |λ| of the returned pair, and the thread counts in effect.
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
from scipy.sparse.linalg import LinearOperator, eigsh  # noqa: E402

torch.set_num_threads(threads)
Ws, M = load_dmf(torch, np, path, N, d)

P = Ws[0]
for W in Ws[1:]:
    P = W @ P
L = 0.5 * ((P - M) ** 2).sum()
grads = torch.autograd.grad(L, Ws, create_graph=True)
sizes = [W.numel() for W in Ws]
n = sum(sizes)
count = 0


def hvp(x):
    global count
    count += 1
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    parts = torch.split(torch.from_numpy(x), sizes)
    vs = [p.reshape(W.shape) for p, W in zip(parts, Ws)]
    Hv = torch.autograd.grad(grads, Ws, grad_outputs=vs, retain_graph=True)
    return torch.cat([h.reshape(-1) for h in Hv]).numpy()


op = LinearOperator((n, n), matvec=hvp, dtype=np.float64)
v0 = np.random.default_rng(0).standard_normal(n)
t0 = time.perf_counter()
vals, vecs = eigsh(op, k=1, which="LA", tol=1e-10, v0=v0)
seconds = time.perf_counter() - t0
lam = float(vals[0])
v = vecs[:, 0]
residual = float(np.linalg.norm(hvp(v) - lam * v) / abs(lam))
print(json.dumps({"lambda": lam, "seconds": seconds, "hvps": count - 1, "residual": residual, "torch": torch.__version__, "threads": threads, **thread_report(torch)}))
