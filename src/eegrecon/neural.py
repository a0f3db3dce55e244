"""NeuralMethod: a trained network behind the same Method interface as the classical baselines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from eegrecon.errors import EegreconError
from eegrecon.method import Method
from eegrecon.models import build_model
from eegrecon.training.checkpoint import load_weights, read_meta
from eegrecon.training.loop import predict


class NeuralMethod(Method):
    """Denoise normalised windows with a network. ``model``: a DenoisingModel; ``meta``: its checkpoint config."""

    def __init__(self, model: torch.nn.Module, meta: dict | None = None, name: str | None = None,
                 batch: int = 512):
        self.model, self.meta, self.batch = model, meta or {}, batch
        self.name = name or self.meta.get("model", type(model).__name__)

    @classmethod
    def from_checkpoint(cls, path: str | Path, name: str | None = None) -> NeuralMethod:
        """Load ``path``.safetensors + ``path``.json (as written by training)."""
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
    def sfreq(self) -> float:
        return float(self.meta.get("sfreq", getattr(self.model, "sfreq", 256.0)))

    def denoise(self, noisy, sfreq, **oracle):
        if abs(sfreq - self.sfreq) > 1e-6:
            raise EegreconError(f"model {self.name} expects {self.sfreq:g} Hz windows, got {sfreq:g} Hz; "
                                "resample first (eegrecon.Denoiser does this for you)")
        return predict(self.model, np.asarray(noisy), self.batch)


def load_method(ref: str | Path, name: str | None = None) -> NeuralMethod:
    """A checkpoint path (``.safetensors``, ``.json`` or the stem) or the name of a shipped pretrained model."""
    path = Path(ref)
    stem = path.with_suffix("") if path.suffix in (".safetensors", ".json") else path
    if stem.with_suffix(".json").is_file():
        return NeuralMethod.from_checkpoint(stem, name or (stem.parent.parent.name if stem.parent.name ==
                                                              "checkpoints" else stem.name))
    if path.is_dir() and (path / "checkpoints" / "best.json").is_file():
        return NeuralMethod.from_checkpoint(path / "checkpoints" / "best", name or path.name)
    from eegrecon.models.pretrained import PRETRAINED, pretrained_path

    if str(ref) in PRETRAINED:
        return NeuralMethod.from_checkpoint(pretrained_path(str(ref)), name or str(ref))
    shipped = ", ".join(PRETRAINED) or "none"
    raise EegreconError(f"{ref}: neither a checkpoint (expected {stem}.json beside {stem}.safetensors, or a run "
                        f"directory with checkpoints/best.json) nor a shipped model ({shipped})")
