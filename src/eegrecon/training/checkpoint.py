"""Optimizer state as safetensors + JSON, written atomically (model weights: :mod:`eegrecon.models.checkpoint`)."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from eegrecon.atomic import atomic_path

IMPLEMENTATION_FLAGS = ("fused", "foreach", "capturable")


def save_optimizer(path: str | Path, optimizer: torch.optim.Optimizer) -> None:
    """Write AdamW-style state flattened to ``path``.safetensors and the param groups to ``path``.json.

    Parameters
    ----------
    path : str or Path
        The stem.
    optimizer : torch.optim.Optimizer
        The optimizer whose state to save.
    """
    sd = optimizer.state_dict()
    tensors = {f"{i}.{k}": (v if torch.is_tensor(v) else torch.tensor(v)).contiguous()
               for i, st in sd["state"].items() for k, v in st.items()}
    path = Path(path)
    with atomic_path(path.with_suffix(".safetensors")) as tmp:
        save_file(tensors, str(tmp))
    with atomic_path(path.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(sd["param_groups"]))


def load_optimizer(path: str | Path, optimizer: torch.optim.Optimizer) -> None:
    """Restore the state written by :func:`save_optimizer` into ``optimizer``.

    Parameters
    ----------
    path : str or Path
        The stem.
    optimizer : torch.optim.Optimizer
        An optimizer over the same parameters.
    """
    path = Path(path)
    tensors = load_file(str(path.with_suffix(".safetensors")))
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        i, name = key.split(".", 1)
        state.setdefault(int(i), {})[name] = value
    groups = json.loads(path.with_suffix(".json").read_text())
    for saved, own in zip(groups, optimizer.param_groups, strict=True):
        # how the update runs (fused kernel or not) belongs to this process's torch, not to the run that saved it
        saved.update({k: own[k] for k in IMPLEMENTATION_FLAGS if k in own})
    optimizer.load_state_dict({"state": state, "param_groups": groups})
