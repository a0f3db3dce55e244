"""Pretrained bundles shipped inside the package (like torchaudio's bundles: a bundle owns its model).

Each bundle is ``eegrecon/pretrained/<name>.safetensors`` + ``<name>.json``; the JSON carries the model
config, sampling rate, window, normalisation, SNR protocol, the training data sources (only sources whose
licence allows redistribution) and the benchmark metrics measured when it was trained. The bundle reads its
rate and window from that JSON: nothing else in the package assumes them.

    from eegrecon.models.pretrained import PRETRAINED
    bundle = PRETRAINED["eegrecon_net"]
    bundle.sample_rate, bundle.n_times          # 256.0, 512
    net = bundle.get_model()                    # DenoisingModel, eval mode
    method = bundle.get_method()                # NeuralMethod (the Method interface)

This module imports no torch until a model is loaded, so ``import eegrecon`` stays light.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eegrecon.errors import EegreconError
from eegrecon.options import check_option

if TYPE_CHECKING:
    from eegrecon.models.base import DenoisingModel
    from eegrecon.models.neural import NeuralMethod


@dataclass(frozen=True)
class Bundle:
    """A shipped model.

    Parameters
    ----------
    name : str
        What users type (``Denoiser("eegrecon_net")``, ``--model eegrecon_net``).
    summary : str
        One line for ``eegrecon models list``.
    stem : str
        File stem of its weights and config inside ``eegrecon/pretrained/``.
    """

    name: str
    summary: str
    stem: str

    @property
    def path(self) -> Path:
        """Path stem (without suffix) of the bundle's files inside the installed package."""
        stem = Path(str(resources.files("eegrecon") / "pretrained" / self.stem))
        if not stem.with_suffix(".safetensors").is_file() or not stem.with_suffix(".json").is_file():
            raise EegreconError(f"pretrained model {self.name!r}: {stem}.safetensors or .json is missing from the "
                                "installation; reinstall eegrecon (pip install -e .)")
        return stem

    @cached_property
    def meta(self) -> dict[str, Any]:
        """The bundle's JSON config (model, rate, window, training data, benchmark)."""
        try:
            return json.loads(self.path.with_suffix(".json").read_text())
        except json.JSONDecodeError as exc:
            raise EegreconError(f"{self.path}.json: corrupt bundle config ({exc}); reinstall eegrecon") from None

    @property
    def sample_rate(self) -> float:
        """The rate the model works at, Hz."""
        return float(self.meta["sfreq"])

    @property
    def n_times(self) -> int:
        """The model's window, samples."""
        return int(self.meta["n_times"])

    @property
    def window_s(self) -> float:
        """The model's window, seconds."""
        return self.n_times / self.sample_rate

    def get_model(self) -> DenoisingModel:
        """The network with the bundle's weights, in eval mode (imports torch)."""
        return self.get_method().model

    def get_method(self) -> NeuralMethod:
        """The network behind the :class:`~eegrecon.method.Method` interface (imports torch)."""
        from eegrecon.models.neural import NeuralMethod  # torch is imported on first use, not with the package

        return NeuralMethod.from_checkpoint(self.path, self.name)


PRETRAINED: dict[str, Bundle] = {
    "eegrecon_net": Bundle("eegrecon_net", "generalist flagship: EOG, EMG, motion and their mixtures, 256 Hz, 2-s "
                           "windows; trained on redistributable real artifacts only", "eegrecon_net"),
    "eegrecon_mc": Bundle("eegrecon_mc", "multichannel: all EEG channels with their positions (any montage), EOG/ECG "
                          "references when present; EOG, EMG, ECG, pops, drifts; 256 Hz, 2-s windows", "eegrecon_mc"),
}
#: the multichannel bundle the Denoiser picks for recordings with enough positioned EEG channels
MULTICHANNEL_MODEL = "eegrecon_mc"
#: the bundle ``Denoiser``, ``denoise``, ``StreamingDenoiser`` and ``eegrecon denoise`` use by default
DEFAULT_MODEL = "eegrecon_net"


def get_bundle(name: str = DEFAULT_MODEL) -> Bundle:
    """The shipped bundle called ``name``.

    Parameters
    ----------
    name : str
        One of :data:`PRETRAINED`.

    Returns
    -------
    Bundle
        The bundle.
    """
    check_option("pretrained model", name, PRETRAINED, lookup=True)
    return PRETRAINED[name]


def pretrained_path(name: str = DEFAULT_MODEL) -> Path:
    """Path stem (without suffix) of bundle ``name``'s files inside the installed package.

    Parameters
    ----------
    name : str
        One of :data:`PRETRAINED`.

    Returns
    -------
    Path
        The stem.
    """
    return get_bundle(name).path


def load_pretrained(name: str = DEFAULT_MODEL) -> NeuralMethod:
    """The shipped model ``name`` as a :class:`~eegrecon.models.neural.NeuralMethod`.

    Parameters
    ----------
    name : str
        One of :data:`PRETRAINED`.

    Returns
    -------
    NeuralMethod
        ``.model``, ``.meta``, ``.sfreq``, ``.n_times``.
    """
    return get_bundle(name).get_method()


def load_method(ref: Any, name: str | None = None) -> NeuralMethod:
    """Resolve what a user passes as a model to a :class:`~eegrecon.models.neural.NeuralMethod`.

    Parameters
    ----------
    ref : str, Path or torch.nn.Module
        A checkpoint (``.safetensors``, ``.json`` or the stem), a training run directory (its
        ``checkpoints/best``), the name of a shipped bundle, or a network object.
    name : str or None
        Row label (default: the run, checkpoint or bundle name).

    Returns
    -------
    NeuralMethod
        The loaded method.
    """
    from eegrecon.models.neural import NeuralMethod  # torch is imported on first use, not with the package

    if not isinstance(ref, str | Path):  # a network object
        return NeuralMethod(ref.eval(), None, name)
    path = Path(ref)
    stem = path.with_suffix("") if path.suffix in (".safetensors", ".json") else path
    if stem.with_suffix(".json").is_file():
        run_name = stem.parent.parent.name if stem.parent.name == "checkpoints" else stem.name
        return NeuralMethod.from_checkpoint(stem, name or run_name)
    if path.is_dir() and (path / "checkpoints" / "best.json").is_file():
        return NeuralMethod.from_checkpoint(path / "checkpoints" / "best", name or path.name)
    if str(ref) in PRETRAINED:
        return NeuralMethod.from_checkpoint(pretrained_path(str(ref)), name or str(ref))
    raise EegreconError(f"{ref}: neither a checkpoint (expected {stem}.json beside {stem}.safetensors, or a run "
                        f"directory with checkpoints/best.json) nor a shipped model ({', '.join(PRETRAINED)})")


def list_pretrained() -> list[dict[str, Any]]:
    """One row per shipped bundle: name, summary, model, parameters, rate, training sources, test metrics.

    Returns
    -------
    list of dict
        The rows (a bundle whose files are missing has a ``status`` instead).
    """
    rows = []
    for name, bundle in PRETRAINED.items():
        try:
            meta = bundle.meta
        except EegreconError as exc:
            rows.append({"name": name, "summary": bundle.summary, "status": str(exc)})
            continue
        rows.append({"name": name, "summary": bundle.summary, "model": meta.get("model"),
                     "parameters": meta.get("n_parameters"), "sfreq": meta.get("sfreq"),
                     "window_s": meta.get("window_s"), "sources": [s["name"] for s in meta.get("data_sources", [])],
                     "benchmark": meta.get("benchmark", {})})
    return rows
