"""Training configuration: pydantic-validated YAML with ``key=value`` overrides from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from eegrecon.data.corpus import DataConfig
from eegrecon.errors import EegreconError


class TrainConfig(BaseModel):
    """Everything one training run needs (saved, resolved, beside the run)."""

    model: str = "eegrecon_net"
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    data: DataConfig = Field(default_factory=DataConfig)
    data_dir: str | None = None
    noises: list[str] = Field(default_factory=lambda: ["eog", "emg", "motion", "mixed"],
                              description="contaminations drawn for training, uniformly per window")
    snr_range: tuple[float, float] = (-7.0, 2.0)
    snr_definition: str = "rms"
    snr_curriculum: float = Field(0.0, ge=0.0, le=1.0, description="fraction of max_steps over which the lowest "
                                  "training SNR moves from snr_range[1] − 2 dB down to snr_range[0] (0: off)")
    clean_fraction: float = Field(0.0, ge=0.0, lt=1.0, description="fraction of training windows left (almost) "
                                  "clean (artifact at +60 dB), so the model learns to leave clean EEG alone")
    loss: str = "mse"
    loss_kwargs: dict[str, Any] = Field(default_factory=dict)
    batch_size: int = 64
    max_steps: int = 3000
    time_budget_s: float | None = Field(None, description="stop after this many seconds of training")
    lr: float = 3e-3
    weight_decay: float = 1e-4
    warmup_steps: int = 100
    grad_clip: float = 1.0
    val_every: int = 250
    val_windows: int = 60
    val_snrs: list[float] = Field(default_factory=lambda: [-7.0, -4.0, -1.0, 2.0])
    patience: int = 6
    seed: int = 0
    threads: int | None = None


def set_dotted(cfg: dict, key: str, value: Any) -> None:
    """Set ``a.b.c`` in a nested dict."""
    parts = key.split(".")
    node = cfg
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def load_config(path: Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    """YAML file (optional) + ``key=value`` overrides (values parsed as YAML) → validated config."""
    raw: dict = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise EegreconError(f"{path}: config file not found")
        raw = yaml.safe_load(path.read_text()) or {}
        if not isinstance(raw, dict):
            raise EegreconError(f"{path}: expected a YAML mapping of settings")
    for item in overrides or []:
        if "=" not in item:
            raise EegreconError(f"override {item!r} must look like key=value (e.g. batch_size=128)")
        key, value = item.split("=", 1)
        set_dotted(raw, key.strip(), yaml.safe_load(value))
    try:
        return TrainConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EegreconError(f"config: {where}: {first['msg']}") from None
