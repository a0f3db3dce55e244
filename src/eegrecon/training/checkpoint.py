"""Checkpoints as safetensors + JSON (never pickled modules), written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from eegrecon import __version__
from eegrecon.errors import EegreconError


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save_weights(path: Path, model: torch.nn.Module, meta: dict) -> None:
    """``path``.safetensors (weights) then ``path``.json (meta + the weights' hash), each atomic."""
    path = Path(path)
    weights = path.with_suffix(".safetensors")
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    _atomic_write(weights, lambda tmp: save_file(state, tmp))
    meta = {**meta, "package_version": __version__, "weights_sha256": _sha(weights)}
    _atomic_write(path.with_suffix(".json"), lambda tmp: Path(tmp).write_text(json.dumps(meta, indent=2)))


def read_meta(path: Path) -> dict:
    path = Path(path).with_suffix(".json")
    if not path.is_file():
        raise EegreconError(f"{path}: checkpoint config not found")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise EegreconError(f"{path}: corrupt checkpoint config ({exc})") from None


def load_weights(path: Path, model: torch.nn.Module) -> dict:
    """Load weights into ``model`` after checking the hash and the parameter names and shapes."""
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


def save_optimizer(path: Path, optimizer: torch.optim.Optimizer) -> None:
    """AdamW-style state flattened to safetensors; param groups to JSON."""
    sd = optimizer.state_dict()
    tensors = {f"{i}.{k}": (v if torch.is_tensor(v) else torch.tensor(v)).contiguous()
               for i, st in sd["state"].items() for k, v in st.items()}
    path = Path(path)
    _atomic_write(path.with_suffix(".safetensors"), lambda tmp: save_file(tensors, tmp))
    _atomic_write(path.with_suffix(".json"), lambda tmp: Path(tmp).write_text(json.dumps(sd["param_groups"])))


def load_optimizer(path: Path, optimizer: torch.optim.Optimizer) -> None:
    path = Path(path)
    tensors = load_file(str(path.with_suffix(".safetensors")))
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        i, name = key.split(".", 1)
        state.setdefault(int(i), {})[name] = value
    groups = json.loads(path.with_suffix(".json").read_text())
    optimizer.load_state_dict({"state": state, "param_groups": groups})
