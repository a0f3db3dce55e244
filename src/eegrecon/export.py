"""Export a model to ONNX with dynamic batch and time axes, and run it with ONNX Runtime."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch

from eegrecon.errors import EegreconError


def export_onnx(model, path: str | Path, n_times: int = 512, opset: int = 17) -> Path:
    """Write ``model`` (name, checkpoint path or torch module) to ``path`` (atomic).

    Graph input ``noisy`` and output ``clean``: (batch, 1, time) float32, both axes dynamic; windows are
    normalised as in training (÷ std of the noisy window), see :mod:`eegrecon.inference`.
    """
    from eegrecon.denoise import resolve_method

    method = resolve_method(model)
    net = method.model.eval()
    if getattr(net, "fixed_length", False):
        n_times = net.n_times
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dynamic = {0: "batch"} if getattr(net, "fixed_length", False) else {0: "batch", 2: "time"}
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(net, (torch.randn(2, 1, n_times),), tmp, input_names=["noisy"], output_names=["clean"],
                              dynamic_axes={"noisy": dynamic, "clean": dynamic}, opset_version=opset, dynamo=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


class OnnxWindows:
    """Callable (n, T) normalised windows → (n, T), backed by an ONNX Runtime session (2 threads by default)."""

    def __init__(self, path: str | Path, threads: int | None = None):
        try:
            import onnxruntime as ort
        except ImportError:
            raise EegreconError("ONNX Runtime is not installed: pip install onnxruntime") from None
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def __call__(self, windows: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(windows, dtype=np.float32)[:, None, :]
        return self.session.run(None, {"noisy": x})[0][:, 0].astype(np.float64)
