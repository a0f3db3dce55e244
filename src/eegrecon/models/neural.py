"""NeuralMethod: a trained network behind the same Method interface as the classical baselines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from eegrecon.errors import EegreconError
from eegrecon.method import Method
from eegrecon.models.checkpoint import load_weights, read_meta
from eegrecon.models.registry import build_model
from eegrecon.options import check_option

#: numeric precision of inference: "float32", "bfloat16" (autocast; about 2× faster where the CPU computes
#: bf16 natively, AVX-512-BF16/AMX) or "auto" (bfloat16 where native, else float32)
PRECISIONS = ("auto", "float32", "bfloat16")


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX-512-BF16 or AMX); emulated bf16 is slower than float32.

    oneDNN's own check (``torch.ops.mkldnn._is_mkldnn_bf16_supported``) is True on any AVX-512 CPU, where it runs
    bf16 by conversion: there the multichannel Denoiser took 1.06 s per minute of 64 channels in bf16 and 0.78 s
    in float32. So the CPU's own flags decide.

    Returns
    -------
    bool
        True on CPUs with AVX-512-BF16 or AMX (and a oneDNN build that uses them).
    """
    try:
        if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
            return False
    except (AttributeError, RuntimeError):  # pragma: no cover - older or non-oneDNN builds
        return False
    return bool({"avx512_bf16", "amx_tile", "amx_bf16"} & cpu_flags())


def cpu_flags() -> set[str]:
    """The CPU's feature flags as torch reports them (its ``torch.cpu`` checks), else from /proc/cpuinfo.

    Returns
    -------
    set of str
        Flags such as ``"avx512_bf16"`` and ``"amx_tile"`` that are present; empty when neither source answers.
    """
    checks = {"avx512_bf16": "_is_avx512_bf16_supported", "amx_tile": "_is_amx_tile_supported"}
    if all(hasattr(torch.cpu, name) for name in checks.values()):
        return {flag for flag, name in checks.items() if getattr(torch.cpu, name)()}
    try:  # pragma: no cover - torch builds without those checks
        with open("/proc/cpuinfo") as fh:
            return {word for line in fh if line.startswith("flags") for word in line.split()}
    except OSError:  # pragma: no cover - not Linux
        return set()


def resolve_precision(precision: str) -> str:
    """``"auto"`` → ``"bfloat16"`` where native, else ``"float32"``; the others unchanged.

    Parameters
    ----------
    precision : {"auto", "float32", "bfloat16"}
        Requested precision.

    Returns
    -------
    str
        ``"float32"`` or ``"bfloat16"``.
    """
    check_option("precision", precision, PRECISIONS)
    if precision == "auto":
        return "bfloat16" if native_bf16() else "float32"
    return precision


@torch.inference_mode()
def predict(model: torch.nn.Module, noisy: np.ndarray, batch: int = 512, precision: str = "float32") -> np.ndarray:
    """Run ``model`` on normalised single-channel windows, ``batch`` at a time.

    Parameters
    ----------
    model : torch.nn.Module
        Takes (batch, 1, n_times) float32.
    noisy : ndarray, shape (n, n_times)
        Normalised windows.
    batch : int
        Windows per forward pass.
    precision : {"auto", "float32", "bfloat16"}
        Arithmetic of the forward pass (see :data:`PRECISIONS`); inputs and outputs stay float32/float64.

    Returns
    -------
    ndarray, shape (n, n_times)
        The model's output, float64.
    """
    model.eval()
    bf16 = resolve_precision(precision) == "bfloat16"
    corrections = []
    for i in range(0, len(noisy), batch):
        x = torch.from_numpy(np.ascontiguousarray(noisy[i:i + batch], dtype=np.float32))[:, None, :]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            y = model(x)[:, 0].float()
        corrections.append(x[:, 0] - y)
    if not corrections:
        return np.empty_like(noisy, dtype=np.float64)
    # the network's change, applied to the float64 input: where it changes nothing (a closed gate) the input
    # comes back bit for bit instead of rounded to float32
    return np.asarray(noisy, dtype=np.float64) - torch.cat(corrections).double().numpy()


@torch.inference_mode()
def predict_joint(model: torch.nn.Module, windows: np.ndarray, pos: np.ndarray | None, n_eeg: int,
                  ref_kinds: np.ndarray | None = None, batch: int = 32, precision: str = "float32") -> np.ndarray:
    """Run a multichannel ``model`` on normalised windows holding every channel (EEG rows, then references).

    Parameters
    ----------
    model : torch.nn.Module
        Takes (batch, n_eeg, T) signals, (n_eeg, 3) positions, (batch, n_refs, T) references and their kinds.
    windows : ndarray, shape (n, n_eeg + n_refs, T)
        Normalised windows (EEG average-referenced).
    pos : ndarray, shape (n_eeg, 3) or None
        Positions, metres (NaN rows: unknown).
    n_eeg : int
        EEG rows.
    ref_kinds : ndarray of int, shape (n_refs,) or None
        Kind of each reference (index into the model's ``REF_KINDS``).
    batch : int
        Windows per forward pass.
    precision : {"auto", "float32", "bfloat16"}
        Arithmetic of the forward pass.

    Returns
    -------
    ndarray, shape (n, n_eeg, T)
        Cleaned EEG rows, float64: the float32 network's change applied to the float64 input.
    """
    model.eval()
    bf16 = resolve_precision(precision) == "bfloat16"
    p = None if pos is None else torch.as_tensor(np.asarray(pos, dtype=np.float32))
    kinds = None
    if ref_kinds is not None and len(ref_kinds) and windows.shape[1] > n_eeg:
        kinds = torch.as_tensor(np.asarray(ref_kinds, dtype=np.int64))
    out = np.asarray(windows[:, :n_eeg], dtype=np.float64).copy()
    for i in range(0, len(windows), batch):
        w = torch.from_numpy(np.ascontiguousarray(windows[i:i + batch], dtype=np.float32))
        x, refs = w[:, :n_eeg], (w[:, n_eeg:] if kinds is not None else None)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            y = model(x, p, refs, kinds).float()
        out[i:i + batch] -= (x - y).double().numpy()
    return out


class NeuralMethod(Method):
    """Denoise normalised windows with a network; its rate and window come from the network itself.

    Parameters
    ----------
    model : DenoisingModel or torch.nn.Module
        The network; it must carry ``sfreq`` (Hz) and ``n_times`` (samples) as every
        :class:`~eegrecon.models.DenoisingModel` does.
    meta : dict or None
        Its checkpoint config (provenance, training data); informational.
    name : str or None
        Row label; default the config's model name or the class name.
    batch : int
        Windows per forward pass.
    precision : {"auto", "float32", "bfloat16"}
        Arithmetic of inference (:data:`PRECISIONS`).
    """

    def __init__(self, model: torch.nn.Module, meta: dict | None = None, name: str | None = None,
                 batch: int = 256, precision: str = "float32"):
        for attr in ("sfreq", "n_times"):
            if not hasattr(model, attr):
                raise EegreconError(f"{type(model).__name__} has no attribute {attr!r}: a network used as a "
                                    "denoiser must say its rate (sfreq, Hz) and window (n_times, samples); build "
                                    "it from eegrecon.models (DenoisingModel) or set both attributes")
        self.model, self.meta, self.batch = model, meta or {}, batch
        self.precision = precision
        self.name = name or self.meta.get("model", type(model).__name__)

    @classmethod
    def from_checkpoint(cls, path: str | Path, name: str | None = None) -> NeuralMethod:
        """Load ``path``.safetensors + ``path``.json (as written by training).

        Parameters
        ----------
        path : str or Path
            The checkpoint stem or either of its files.
        name : str or None
            Row label.

        Returns
        -------
        NeuralMethod
            The network in eval mode.
        """
        path = Path(path)
        if path.suffix in (".safetensors", ".json"):
            path = path.with_suffix("")
        meta = read_meta(path)
        try:
            model = build_model(meta["model"], 1, int(meta["n_times"]), float(meta["sfreq"]),
                                **meta.get("model_kwargs", {}))
        except KeyError as exc:
            raise EegreconError(f"{path}.json: checkpoint config lacks {exc}; not an eegrecon checkpoint") from None
        load_weights(path, model)
        return cls(model.eval(), meta, name)

    @property
    def multichannel(self) -> bool:
        """Whether the network cleans all channels together (:data:`~eegrecon.models.registry.MULTICHANNEL_MODELS`)."""
        from eegrecon.models.registry import MULTICHANNEL_MODELS

        return isinstance(self.model, tuple(MULTICHANNEL_MODELS.values()))

    def denoise_joint(self, windows: np.ndarray, pos: np.ndarray | None, n_eeg: int,
                      ref_kinds: np.ndarray | None = None) -> np.ndarray:
        """Clean windows that hold every channel of a recording (multichannel networks only).

        Parameters
        ----------
        windows : ndarray, shape (n, n_eeg + n_refs, T)
            Normalised windows at the network's rate: EEG rows (average reference), then references.
        pos : ndarray, shape (n_eeg, 3) or None
            EEG positions, metres, MNE head coordinates (NaN: unknown).
        n_eeg : int
            EEG rows.
        ref_kinds : ndarray of int or None
            Kind of each reference row.

        Returns
        -------
        ndarray, shape (n, n_eeg, T)
            Cleaned EEG rows.
        """
        if not self.multichannel:
            raise EegreconError(f"{self.name} is a single-channel network: it cleans each channel on its own")
        return predict_joint(self.model, windows, pos, n_eeg, ref_kinds, min(self.batch, 32), self.precision)

    @torch.inference_mode()
    def artifact_map(self, windows: np.ndarray, pos: np.ndarray | None = None, n_eeg: int | None = None,
                     ref_kinds: np.ndarray | None = None) -> np.ndarray:
        """The network's gate per sample (what share of each sample it treats as artifact).

        Parameters
        ----------
        windows : ndarray, shape (n, T), or (n, n_eeg + n_refs, T) for a multichannel network
            Normalised windows at the network's rate.
        pos, n_eeg, ref_kinds
            Multichannel networks only: as for :meth:`denoise_joint`.

        Returns
        -------
        ndarray, shape (n, T) or (n, n_eeg, T)
            In [0, 1]; all ones for an ungated network (it corrects everywhere).
        """
        self.model.eval()
        w = torch.from_numpy(np.ascontiguousarray(windows, dtype=np.float32))
        if not self.multichannel:
            if not getattr(self.model, "gated", False):
                return np.ones(windows.shape)
            return self.model.artifact_map(w[:, None, :])[:, 0].double().numpy()
        p = None if pos is None else torch.as_tensor(np.asarray(pos, dtype=np.float32))
        n_eeg = windows.shape[1] if n_eeg is None else n_eeg
        has_refs = ref_kinds is not None and len(ref_kinds) and windows.shape[1] > n_eeg
        kinds = torch.as_tensor(np.asarray(ref_kinds, dtype=np.int64)) if has_refs else None
        refs = w[:, n_eeg:] if has_refs else None
        return self.model.artifact_map(w[:, :n_eeg], p, refs, kinds).double().numpy()

    @property
    def sfreq(self) -> float:
        """The network's sampling rate, Hz."""
        return float(self.model.sfreq)

    @property
    def n_times(self) -> int:
        """The network's window, samples."""
        return int(self.model.n_times)

    def denoise(self, noisy, sfreq, **oracle):
        if abs(sfreq - self.sfreq) > 1e-6:
            raise EegreconError(f"model {self.name} expects {self.sfreq:g} Hz windows, got {sfreq:g} Hz; "
                                "resample first (eegrecon.Denoiser does this for you)")
        return predict(self.model, np.asarray(noisy), self.batch, self.precision)
