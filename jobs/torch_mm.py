"""What PyTorch's BLAS does on this machine: the GFLOP/s of torch.mm into a reused output, for the PyTorch sides
of the benchmarks to report beside the Java side's sgemm rate (spark-rnn bench --sgemm THREADS), so that a slow BLAS
is seen and not taken for a slow model."""
import time

import torch


def mm_gflops(m=1120, k=256, n=14115, seconds=1.0):
    """torch.mm of an m x k by k x n product; the default shape is Brown's output layer at 256 hidden units."""
    x, w = torch.randn(m, k), torch.randn(k, n)
    out = torch.empty(m, n)
    torch.mm(x, w, out=out)
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        torch.mm(x, w, out=out)
        calls += 1
    return 2 * m * k * n * calls / (time.perf_counter() - t0) / 1e9
