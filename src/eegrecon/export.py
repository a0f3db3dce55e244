"""Export a model to ONNX with dynamic batch and time axes, and run it with ONNX Runtime."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch

from eegrecon.atomic import atomic_path
from eegrecon.clean.model_choice import resolve_method
from eegrecon.errors import EegreconError


def export_onnx(model, path: str | Path, opset: int = 17) -> Path:
    """Write a network to an ONNX file (atomic).

    Graph input ``noisy`` and output ``clean``: (batch, 1, time) float32, both axes dynamic (only the batch
    axis for fixed-length networks); windows are normalised as in training (÷ std of the noisy window), see
    :mod:`eegrecon.clean.windows`.

    Parameters
    ----------
    model : str, Path or torch.nn.Module
        Shipped model name, checkpoint path or network.
    path : str or Path
        Output file.
    opset : int
        ONNX opset version.

    Returns
    -------
    Path
        ``path``.
    """
    method = resolve_method(model)
    net = method.model.eval()
    fixed = getattr(net, "fixed_length", False)
    dynamic = {0: "batch"} if fixed else {0: "batch", 2: "time"}
    path = Path(path)
    with atomic_path(path) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(net, (torch.randn(2, 1, method.n_times),), str(tmp), input_names=["noisy"],
                          output_names=["clean"], dynamic_axes={"noisy": dynamic, "clean": dynamic},
                          opset_version=opset, dynamo=False)
    return path


class OnnxWindows:
    """Callable (n, T) normalised windows → (n, T), backed by an ONNX Runtime session.

    Parameters
    ----------
    path : str or Path
        An ONNX file written by :func:`export_onnx`.
    threads : int or None
        Intra-op threads; None leaves ONNX Runtime's default (one per physical core).
    """

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


def max_difference(path: str | Path, net: torch.nn.Module, windows: np.ndarray) -> float:
    """Largest |ONNX Runtime − PyTorch| over windows run through the exported file and the network.

    Parameters
    ----------
    path : str or Path
        The ONNX file.
    net : torch.nn.Module
        The network it was exported from.
    windows : ndarray, shape (n, n_times)
        Test input.

    Returns
    -------
    float
        The largest absolute difference.
    """
    with torch.inference_mode():
        ref = net.eval()(torch.from_numpy(np.asarray(windows, dtype=np.float32))[:, None])[:, 0].double().numpy()
    return float(np.max(np.abs(OnnxWindows(path)(windows) - ref)))
