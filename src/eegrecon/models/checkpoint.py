"""Model checkpoints as safetensors + JSON (never pickled modules), written atomically.

``<stem>.safetensors`` holds the weights, ``<stem>.json`` the config that rebuilds the model (``model``,
``model_kwargs``, ``sfreq``, ``n_times``) plus provenance (data sources, SNR protocol, version) and the
weights' SHA-256, checked on load.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from eegrecon._version import __version__
from eegrecon.atomic import atomic_path
from eegrecon.errors import EegreconError


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save_weights(path: str | Path, model: torch.nn.Module, meta: dict) -> None:
    """Write ``path``.safetensors (weights) then ``path``.json (``meta`` + version + the weights' hash).

    Parameters
    ----------
    path : str or Path
        The checkpoint stem (suffixes are replaced).
    model : torch.nn.Module
        The network.
    meta : dict
        Its config and provenance (JSON-serialisable).
    """
    path = Path(path)
    weights = path.with_suffix(".safetensors")
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    with atomic_path(weights) as tmp:
        save_file(state, str(tmp))
    meta = {**meta, "package_version": __version__, "weights_sha256": _sha(weights)}
    with atomic_path(path.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(meta, indent=2))


def read_meta(path: str | Path) -> dict:
    """The JSON config of checkpoint ``path``.

    Parameters
    ----------
    path : str or Path
        The checkpoint stem, or either of its files.

    Returns
    -------
    dict
        The config.
    """
    path = Path(path).with_suffix(".json")
    if not path.is_file():
        raise EegreconError(f"{path}: checkpoint config not found")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise EegreconError(f"{path}: corrupt checkpoint config ({exc})") from None


def load_weights(path: str | Path, model: torch.nn.Module) -> dict:
    """Load weights into ``model`` after checking the hash and the parameter names and shapes.

    Parameters
    ----------
    path : str or Path
        The checkpoint stem.
    model : torch.nn.Module
        A network built from the checkpoint's config.

    Returns
    -------
    dict
        The checkpoint's config.
    """
    path = Path(path)
    meta = read_meta(path)
    weights = path.with_suffix(".safetensors")
    if not weights.is_file():
        raise EegreconError(f"{weights}: checkpoint weights not found")
    if meta.get("weights_sha256") and _sha(weights) != meta["weights_sha256"]:
        raise EegreconError(f"{weights}: weights do not match their config (corrupt or half-written file); "
                            "use another checkpoint")
    try:
        state = load_file(str(weights))
    except Exception as exc:
        raise EegreconError(f"{weights}: cannot read safetensors ({exc})") from None
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    wrong = [k for k in expected if k in state and state[k].shape != expected[k].shape]
    if missing or wrong:
        raise EegreconError(f"{weights}: does not fit model {meta.get('model', '?')} "
                            f"(missing {missing[:3]}, wrong shape {wrong[:3]}); check --model and the checkpoint")
    model.load_state_dict(state, strict=True)
    return meta
