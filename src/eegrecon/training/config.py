"""Training configuration: pydantic-validated YAML with ``key=value`` overrides from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from eegrecon.data.corpus import DataConfig
from eegrecon.errors import EegreconError
from eegrecon.models.registry import FLAGSHIP, MODELS
from eegrecon.noise import TRAINING_NOISES, noise_names
from eegrecon.options import SnrDefinition, check_option
from eegrecon.training.losses import LOSSES


class TrainConfig(BaseModel):
    """Everything one training run needs (saved, resolved, beside the run). Unknown models, losses, noises and
    SNR definitions fail when the config is read, before any data is loaded.

    Parameters
    ----------
    model : str
        Architecture (``eegrecon models list``).
    model_kwargs : dict
        The architecture's own keyword arguments.
    data : DataConfig
        Data, windows and split.
    data_dir : str or None
        Real data folder (None: the default search, else simulated data).
    noises : list of str
        Contaminations drawn for training, uniformly per window.
    snr_range : (float, float)
        Training SNR range, dB (EEGdenoiseNet: −7..2).
    snr_definition : {"rms", "power"}
        SNR definition.
    snr_curriculum : float
        Fraction of ``max_steps`` over which the lowest training SNR moves from ``snr_range[1]`` − 2 dB down to
        ``snr_range[0]`` (0: off).
    gate_weight : float
        Weight of the gate's cross-entropy against where the artifact is (gated models only).
    clean_fraction : float
        Fraction of training windows left (almost) clean (artifact at +60 dB), so the model learns to leave
        clean EEG alone.
    background_probability : float
        Fraction of clean training windows given the >30-Hz background real recordings have and the low-passed
        clean sources lack (:func:`eegrecon.data.background.add_background_windows`), as part of the target.
    background_ratio : (float, float)
        Its 30–80-Hz power over the window's 13–30-Hz power (log-uniform range).
    loss : str
        Loss name (see :data:`eegrecon.training.losses.LOSSES`).
    loss_kwargs : dict
        The loss's own keyword arguments.
    batch_size : int
        Windows per step.
    max_steps : int
        Optimisation steps.
    time_budget_s : float or None
        Stop after this many seconds of training.
    lr : float
        Peak learning rate (AdamW).
    weight_decay : float
        AdamW weight decay.
    warmup_steps : int
        Linear warm-up steps before the cosine decay.
    grad_clip : float
        Gradient-norm clip.
    val_every : int
        Steps between validations (and checkpoints).
    val_windows : int
        Validation windows per noise and SNR level.
    val_snrs : list of float
        Validation SNR levels, dB.
    patience : int
        Validations without improvement before early stopping (plateau schedule: before each rate drop, and
        before stopping once ``plateau_drops`` drops are spent).
    lr_schedule : {"cosine", "plateau"}
        After warm-up: cosine decay to 1 % of ``lr`` at ``max_steps``, or a constant rate multiplied by
        ``plateau_factor`` whenever validation stops improving (train until it stops; ``max_steps`` is a cap).
    plateau_factor : float
        Rate multiplier at each plateau.
    plateau_drops : int
        Rate drops before a plateau ends the run.
    init_from : str or None
        Checkpoint stem (``path/best``, without suffix) whose weights start the run (fine-tuning); the model and
        its kwargs must match. None: random initialisation.
    seed : int
        Seed of every draw.
    threads : int or None
        Torch intra-op threads (None: torch's default).
    """

    model: str = FLAGSHIP
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    data: DataConfig = Field(default_factory=DataConfig)
    data_dir: str | None = None
    noises: list[str] = Field(default_factory=lambda: list(TRAINING_NOISES),
                              description="contaminations drawn for training, uniformly per window")
    snr_range: tuple[float, float] = (-7.0, 2.0)
    snr_definition: SnrDefinition = "rms"
    snr_curriculum: float = Field(0.0, ge=0.0, le=1.0, description="fraction of max_steps over which the lowest "
                                  "training SNR moves from snr_range[1] − 2 dB down to snr_range[0] (0: off)")
    clean_fraction: float = Field(0.0, ge=0.0, lt=1.0, description="fraction of training windows left (almost) "
                                  "clean (artifact at +60 dB), so the model learns to leave clean EEG alone")
    background_probability: float = Field(0.0, ge=0.0, le=1.0, description="fraction of clean training windows "
                                          "given a >30-Hz background (part of the target)")
    background_ratio: tuple[float, float] = (0.05, 1.0)
    gate_weight: float = Field(0.2, ge=0.0, description="weight of the artifact gate's loss (gated models only)")
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
    lr_schedule: Literal["cosine", "plateau"] = "cosine"
    plateau_factor: float = Field(0.3, gt=0.0, lt=1.0)
    plateau_drops: int = Field(2, ge=0)
    init_from: str | None = Field(None, description="checkpoint stem whose weights start the run (fine-tuning)")
    seed: int = 0
    threads: int | None = None

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        return check_option("model", value, MODELS)

    @field_validator("loss")
    @classmethod
    def _known_loss(cls, value: str) -> str:
        return check_option("loss", value, LOSSES)

    @field_validator("noises")
    @classmethod
    def _known_noises(cls, value: list[str]) -> list[str]:
        for name in value:
            check_option("noises", name, noise_names())
        return value


def set_dotted(cfg: dict, key: str, value: Any) -> None:
    """Set ``a.b.c`` in a nested dict (creating the intermediate dicts).

    Parameters
    ----------
    cfg : dict
        The nested settings, changed in place.
    key : str
        Dotted path.
    value : object
        New value.
    """
    parts = key.split(".")
    node = cfg
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def load_config(path: Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    """YAML file (optional) + ``key=value`` overrides (values parsed as YAML) → validated config.

    Parameters
    ----------
    path : Path or None
        YAML config file.
    overrides : list of str or None
        ``key=value`` items applied on top (dotted keys reach nested settings).

    Returns
    -------
    TrainConfig
        The validated config.
    """
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
