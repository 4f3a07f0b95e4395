"""Thread pinning for the PyTorch baselines of `npm run bench`.

`torch.set_num_threads(n)` alone does not bound the threads of a float64 matrix product in Debian's
python3-torch: its BLAS is the system OpenBLAS (pthreads build), which sizes its own thread pool at
load time from OPENBLAS_NUM_THREADS (else one thread per core) and ignores torch's setting. So a
"1 thread" torch run used both cores. `pin_threads(n)` sets OMP_NUM_THREADS, MKL_NUM_THREADS and
OPENBLAS_NUM_THREADS before torch is imported (call it first), and `thread_report(torch)` returns
what is really in effect: torch.get_num_threads(), the loaded OpenBLAS's openblas_get_num_threads()
(read through ctypes from the library torch loaded) and the lines of torch.__config__.parallel_info()
that name thread counts. Several thread counts therefore need one process each (`run_each`).
"""
import ctypes
import json
import os
import subprocess
import sys

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def pin_threads(n):
    """Sets the thread variables to n; call before `import torch` (and before numpy/scipy)."""
    if "torch" in sys.modules:
        raise RuntimeError("pin_threads must run before torch is imported")
    for var in THREAD_VARS:
        os.environ[var] = str(n)


def _blas_threads():
    """openblas_get_num_threads() of the OpenBLAS mapped into this process, or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "blas" in line.lower() and line.split()[-1].startswith("/")})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            return int(lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


def thread_report(torch):
    """What is in effect after `torch.set_num_threads`: torch's, OpenBLAS's and OpenMP's thread counts."""
    info = torch.__config__.parallel_info()
    lines = [line.strip() for line in info.splitlines() if "threads" in line.lower() and ":" in line]
    return {
        "torch_threads": torch.get_num_threads(),
        "blas_threads": _blas_threads(),
        "env": {var: os.environ.get(var) for var in THREAD_VARS},
        "parallel_info": lines,
    }


def run_each(script, args, threads, timeout=600):
    """Runs `python3 script args --threads t` once per t (a fresh process each: thread pools are sized
    at load time) and returns their JSON outputs in order."""
    out = []
    for t in threads:
        env = dict(os.environ)
        for var in THREAD_VARS:
            env[var] = str(t)
        r = subprocess.run([sys.executable, script, *args, "--threads", str(t)], env=env, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"{os.path.basename(script)} with {t} thread(s) failed: {r.stderr[-500:]}")
        out.append(json.loads(r.stdout))
    return out


def load_dmf(torch, np, path, N, d):
    """The bench's DMF problem from WEIGHTS.bin (N column-major d×d float64 matrices W_1..W_N):
    the weights as leaf tensors that require gradients, and the target M = W_N⋯W_1 (a minimizer)."""
    raw = np.fromfile(path, dtype=np.float64).reshape(N, d, d)
    # Column-major files: W[i] as stored is W_iᵀ in row-major; transpose back.
    Ws = [torch.tensor(raw[i].T.copy(), dtype=torch.float64, requires_grad=True) for i in range(N)]
    with torch.no_grad():
        P = Ws[0]
        for W in Ws[1:]:
            P = W @ P
    return Ws, P.clone()
