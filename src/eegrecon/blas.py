"""NumPy/SciPy's BLAS on one thread while a network runs beside it.

OpenBLAS's worker threads keep spinning for a while after each call. On a few cores they then compete with
PyTorch's threads for the next forward pass: the multichannel road alternates small matrix work (spatial steps,
64 × 64) with network calls, and measured on 2 cores a live stream ran 2.3× slower and a file 1.4× slower with
BLAS on two threads (benchmarks/results/streaming.md). The matrices here are small enough for one thread.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def single_threaded_blas() -> AbstractContextManager:
    """A context in which NumPy's and SciPy's BLAS use one thread (PyTorch's OpenMP threads are left alone)."""
    return _controller().limit(limits=1, user_api="blas")
