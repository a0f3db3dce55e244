"""Pretrained bundles shipped inside the package (like torchaudio's bundles: weights + the rate they expect).

Each bundle is ``eegrecon/pretrained/<name>.safetensors`` + ``<name>.json``; the JSON carries the model
config, sampling rate, window, normalisation, SNR protocol, the training data sources (only sources whose
licence allows redistribution) and the benchmark metrics measured when it was trained.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from eegrecon.errors import EegreconError


@dataclass(frozen=True)
class Bundle:
    """A shipped model: its name, a one-line summary and the file stem inside the package."""

    name: str
    summary: str
    stem: str


PRETRAINED: dict[str, Bundle] = {
    "eegrecon_net": Bundle("eegrecon_net", "generalist flagship: EOG, EMG, motion and their mixtures, 256 Hz, 2-s "
                           "windows; trained on redistributable real artifacts only", "eegrecon_net"),
}
DEFAULT_MODEL = "eegrecon_net"


def pretrained_path(name: str = DEFAULT_MODEL) -> Path:
    """Path stem (without suffix) of the bundle ``name``'s files inside the installed package."""
    if name not in PRETRAINED:
        raise EegreconError(f"unknown pretrained model {name!r}; shipped: {', '.join(PRETRAINED)}")
    stem = Path(str(resources.files("eegrecon") / "pretrained" / PRETRAINED[name].stem))
    if not stem.with_suffix(".safetensors").is_file():
        raise EegreconError(f"pretrained model {name!r}: {stem}.safetensors is missing from the installation; "
                            "reinstall eegrecon (pip install -e .)")
    return stem


def load_pretrained(name: str = DEFAULT_MODEL):
    """The shipped model ``name`` as a :class:`~eegrecon.neural.NeuralMethod` (``.model``, ``.meta``, ``.sfreq``)."""
    from eegrecon.neural import NeuralMethod

    return NeuralMethod.from_checkpoint(pretrained_path(name), name)


def list_pretrained() -> list[dict]:
    """One row per shipped bundle: name, summary, model, parameters, rate, training sources, test metrics."""
    from eegrecon.training.checkpoint import read_meta

    rows = []
    for name, bundle in PRETRAINED.items():
        try:
            meta = read_meta(pretrained_path(name))
        except EegreconError as exc:
            rows.append({"name": name, "summary": bundle.summary, "status": str(exc)})
            continue
        rows.append({"name": name, "summary": bundle.summary, "model": meta.get("model"),
                     "parameters": meta.get("n_parameters"), "sfreq": meta.get("sfreq"),
                     "window_s": meta.get("window_s"), "sources": [s["name"] for s in meta.get("data_sources", [])],
                     "benchmark": meta.get("benchmark", {})})
    return rows
