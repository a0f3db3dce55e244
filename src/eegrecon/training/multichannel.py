"""Train the multichannel model on recording-level mixtures, within a wall-clock budget on CPU.

Each step draws a batch of 2-s windows of clean eegmat EEG (training subjects), a random subset of its channels
(re-referenced to their average, so the model meets montages other than the full 19), adds projected artifacts
(:func:`~eegrecon.data.multichannel.contaminate`) at an SNR drawn uniformly in ``snr_range`` at the most
contaminated channel, gives the reference channels to the model in half the batches, and minimises MSE plus the
gate's cross-entropy against where the artifact is (per channel and time). Most clean windows first get the
broadband >30-Hz activity that eegmat's 45-Hz low-pass removed (:mod:`eegrecon.data.background`), as part of the
target, so the model does not take every high frequency for muscle.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from pydantic import BaseModel, Field
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from eegrecon.clean.windows import joint_scale
from eegrecon.data.background import add_background
from eegrecon.data.multichannel import MIX_PROBABILITIES, REF_CHANNELS, Courses, Recording, contaminate
from eegrecon.data.topography import TopographyBank
from eegrecon.models.checkpoint import save_weights
from eegrecon.models.gate import gate_loss
from eegrecon.models.multichannel_net import REF_KINDS, EEGReconMC
from eegrecon.signal.montage import spline_matrix, standard_positions
from eegrecon.training.optimizer import make_adamw


class MultichannelTrainConfig(BaseModel):
    """How the multichannel model is trained.

    Parameters
    ----------
    minutes : float
        Wall-clock budget of the optimisation (used when ``steps`` is None). The learning rate follows the elapsed
        share of it and validation runs every minute, so what a budget buys depends on the machine.
    steps : int or None
        A step budget instead: the learning rate follows ``step / steps`` and validation runs every ``val_every``
        steps and at the last, so a seed gives the same run on any machine (at 2 threads, 30 min was ~5,300
        steps on one CPU and ~2,700 on another).
    val_every : int
        Steps between validations under a step budget.
    batch : int
        Windows per step.
    n_times : int
        Window, samples at 256 Hz.
    lr : float
        Peak learning rate (AdamW, cosine decay over the budget).
    snr_range : (float, float)
        Recording-level SNR at the most contaminated channel, dB.
    ref_probability : float
        Share of batches that get the reference channels.
    min_channels : int
        Smallest random channel subset.
    regional_probability : float
        Share of batches whose channel subset is a region rather than scattered channels: the channels on one side
        of a plane (:func:`regional_subset`; half of them with the frontal channels left out), as montages without
        frontopolar electrodes (motor-imagery caps with central channels only) are. Tried at 0.3 and not shipped:
        it did not improve such montages (benchmarks/results/history/multichannel.md, "Caps without frontal
        electrodes").
    ac_coupling_probability : float
        Share of eye artifacts recorded through an AC-coupled amplifier's high-pass
        (:func:`~eegrecon.data.multichannel.amplifier_highpass`): eye movements then look as they do on such systems.
    extra_montages : int
        Denser montages made by adding spherical-spline-interpolated 10-05 electrodes (8–45 of them) to the
        recordings' own: the model then meets many positions and channel counts, not only eegmat's 19.
    gate_weight : float
        Weight of the gate's cross-entropy.
    clean_fraction : float
        Share of windows left artifact-free on purpose (more arise when no component is drawn), so the gate learns
        to close.
    background_probability : float
        Share of clean windows given a high-frequency background (:func:`~eegrecon.data.background.add_background`).
    background_ratio : (float, float)
        Its power in 30–80 Hz over the window's 13–30-Hz power (log-uniform range). 0.1–2 (median ≈ 0.45) brackets
        real recordings' 0.4–0.6 (eegmmidb); the earlier 0.05–1 taught the model to take real gamma at 50–70 Hz.
    line_probability : float
        Share of contaminated windows that get residual mains (a 50- or 60-Hz sinusoid with a random topography,
        :func:`~eegrecon.data.multichannel.contaminate`); the other components keep :data:`MIX_PROBABILITIES`.
    val_windows : int
        Fixed validation windows (:func:`validation_batches`: val subjects, the same for every ``seed``).
    ema_decay : float
        Decay of an exponential moving average of the weights (Polyak averaging; 0: off). When on, validation and
        the saved checkpoint use the averaged weights, which smooths the step-to-step noise that otherwise decides
        which checkpoint is kept.
    seed : int
        Seed of weights and sampling.
    model_kwargs : dict
        EEGReconMC's keyword arguments.
    """

    minutes: float = Field(20.0, gt=0)
    steps: int | None = Field(None, gt=0)
    val_every: int = Field(100, gt=0)
    batch: int = 32
    n_times: int = 512
    lr: float = 2e-3
    snr_range: tuple[float, float] = (-12.0, 6.0)
    ref_probability: float = 0.5
    min_channels: int = 8
    regional_probability: float = Field(0.0, ge=0, le=1)
    ac_coupling_probability: float = Field(0.0, ge=0, le=1)
    extra_montages: int = 12
    gate_weight: float = 0.2
    clean_fraction: float = 0.15
    background_probability: float = Field(0.8, ge=0, le=1)
    background_ratio: tuple[float, float] = (0.1, 2.0)
    line_probability: float = Field(MIX_PROBABILITIES["line"], ge=0, le=1)
    val_windows: int = 192
    ema_decay: float = Field(0.0, ge=0, lt=1)
    seed: int = 0
    model_kwargs: dict = Field(default_factory=dict)

    @property
    def mix_probabilities(self) -> dict[str, float]:
        """Probability of each artifact component in a contaminated window (:data:`MIX_PROBABILITIES`, with
        ``line_probability`` for residual mains)."""
        return {**MIX_PROBABILITIES, "line": self.line_probability}


@dataclass
class TrainingMontage:
    """A montage the model trains on: the recordings' channels plus electrodes interpolated from them.

    Parameters
    ----------
    interp : ndarray, shape (n_extra, n_base)
        Spherical-spline matrix from the recorded channels to the added ones (empty for the recorded montage).
    bank : TopographyBank
        Topographies on all its channels (recorded, then added).
    """

    interp: np.ndarray
    bank: TopographyBank

    @property
    def n_chans(self) -> int:
        """Channels, recorded plus added."""
        return self.bank.n_chans

    def expand(self, x: np.ndarray) -> np.ndarray:
        """All channels from the recorded ones, average-referenced.

        Parameters
        ----------
        x : ndarray, shape (n_base, T)
            Recorded channels, µV.

        Returns
        -------
        ndarray, shape (n_chans, T)
            Recorded then interpolated channels, average reference.
        """
        full = np.concatenate([x, self.interp @ x]) if len(self.interp) else x
        return full - full.mean(axis=0)


def training_montages(pos: np.ndarray, n_extra: int, seed: int) -> list[TrainingMontage]:
    """The recorded montage and ``n_extra`` denser ones with 8–45 added 10-05 electrodes above the ears' plane.

    Parameters
    ----------
    pos : ndarray, shape (n_base, 3)
        The recorded channels' positions, metres.
    n_extra : int
        Denser montages.
    seed : int
        Which electrodes are added.

    Returns
    -------
    list of TrainingMontage
        The recorded montage first.
    """
    rng = np.random.default_rng(seed)
    table = standard_positions()
    taken = {tuple(np.round(p, 4)) for p in pos}
    candidates = np.array([p for p in table.values() if p[2] > -0.01 and tuple(np.round(p, 4)) not in taken])
    out = [TrainingMontage(np.empty((0, len(pos))), TopographyBank.build(pos, seed=seed))]
    for k in range(n_extra):
        extra = candidates[rng.choice(len(candidates), size=rng.integers(8, 46), replace=False)]
        out.append(TrainingMontage(spline_matrix(pos, extra), TopographyBank.build(np.r_[pos, extra], seed=seed + k)))
    return out


def regional_subset(pos: np.ndarray, k: int, rng: np.random.Generator, frontal_share: float = 0.5) -> np.ndarray:
    """The ``k`` channels furthest from a random direction's side of the head: a contiguous region.

    Parameters
    ----------
    pos : ndarray, shape (n_chans, 3)
        Channel positions (head frame: +y anterior, +z up).
    k : int
        Channels kept.
    rng : numpy.random.Generator
        Random source.
    frontal_share : float
        Probability that the direction left out is roughly anterior (the frontal channels go first), as on caps
        without frontopolar electrodes; otherwise any direction.

    Returns
    -------
    ndarray of int, shape (k,)
        Sorted channel indices.
    """
    if rng.random() < frontal_share:
        direction = np.array([0.0, 1.0, 0.0]) + rng.normal(0, 0.3, 3)
    else:
        direction = rng.normal(0, 1, 3)
    centred = pos - pos.mean(axis=0)
    order = np.argsort(centred @ direction)  # the channels least in the direction come first
    return np.sort(order[:k])


def _window(recs: list[Recording], n_times: int, rng: np.random.Generator) -> np.ndarray:
    lengths = np.array([r.data.shape[1] - n_times for r in recs], dtype=float)
    r = recs[rng.choice(len(recs), p=lengths / lengths.sum())]
    start = rng.integers(0, r.data.shape[1] - n_times)
    return np.asarray(r.data[:, start:start + n_times], dtype=np.float64)


def make_batch(recs: list[Recording], montage: TrainingMontage, courses: Courses, split: str,
               cfg: MultichannelTrainConfig, rng: np.random.Generator, channels: np.ndarray,
               with_refs: bool) -> dict[str, torch.Tensor]:
    """One batch of normalised (noisy, clean) windows on a channel subset, with references when asked.

    Parameters
    ----------
    recs : list of Recording
        Clean recordings of the split.
    montage : TrainingMontage
        The recordings' channels (plus interpolated ones) and their topographies.
    courses : Courses
        Artifact time courses.
    split : str
        Which split's courses.
    cfg : MultichannelTrainConfig
        Settings.
    rng : numpy.random.Generator
        Random source.
    channels : ndarray of int
        The channel subset (indices into the montage).
    with_refs : bool
        Include VEOG/HEOG/ECG references.

    Returns
    -------
    dict of str to torch.Tensor
        ``noisy``, ``clean`` (B, C, T), ``pos`` (C, 3), and ``refs`` (B, 3, T), ``ref_kinds`` (3,) when asked.
    """
    noisy, clean, refs = [], [], []
    mixture = cfg.mix_probabilities
    for _ in range(cfg.batch):
        x = montage.expand(_window(recs, cfg.n_times, rng))
        if rng.random() < cfg.background_probability:
            x = add_background(x, montage.bank, courses.sfreq, rng, cfg.background_ratio)
        families = {} if rng.random() < cfg.clean_fraction else mixture
        mix = contaminate(x, montage.bank, courses, split, rng.uniform(*cfg.snr_range), rng, families,
                          ac_coupling=cfg.ac_coupling_probability)
        y, c = mix.noisy[channels], mix.clean[channels]
        y, c = y - y.mean(axis=0), c - c.mean(axis=0)  # the subset's own average reference
        scale = float(joint_scale(y)) or 1.0  # the Denoiser's normalisation (eegrecon.clean.windows.joint_normalise)
        noisy.append(y / scale)
        clean.append(c / scale)
        r = mix.refs / np.maximum(mix.refs.std(axis=-1, keepdims=True), 1e-12)
        refs.append(r)
    out = {"noisy": torch.tensor(np.stack(noisy), dtype=torch.float32),
           "clean": torch.tensor(np.stack(clean), dtype=torch.float32),
           "pos": torch.tensor(montage.bank.pos[channels], dtype=torch.float32)}
    if with_refs:
        out["refs"] = torch.tensor(np.stack(refs), dtype=torch.float32)
        out["ref_kinds"] = torch.tensor([REF_KINDS.index(k) for _, k in REF_CHANNELS])
    return out


def forward_batch(model: EEGReconMC, b: dict[str, torch.Tensor]) -> torch.Tensor:
    """The model's output on a batch of :func:`make_batch` (references passed when the batch has them).

    Parameters
    ----------
    model : EEGReconMC
        The network, in whichever mode the caller set.
    b : dict of str to torch.Tensor
        A batch.

    Returns
    -------
    torch.Tensor, shape (B, C, T)
        Cleaned windows, normalised units.
    """
    return model(b["noisy"], b["pos"], b.get("refs"), b.get("ref_kinds"))


def validation_batches(val: list[Recording], courses: Courses, cfg: MultichannelTrainConfig,
                       n_windows: int | None = None) -> list[dict[str, torch.Tensor]]:
    """The fixed validation set: all channels of the recorded montage, references in every other batch.

    The draws depend on neither ``cfg.seed`` nor the training montages (topographies from bank seed 0, sampling
    seed 1), so validation MSEs of runs with different seeds are comparable.

    Parameters
    ----------
    val : list of Recording
        Validation recordings (one montage).
    courses : Courses
        Artifact time courses (their ``val`` split is used).
    cfg : MultichannelTrainConfig
        Batch size, window, SNR range and mixture settings.
    n_windows : int or None
        Windows in all (rounded down to whole batches); ``cfg.val_windows`` if None.

    Returns
    -------
    list of dict
        Batches as :func:`make_batch` returns them.
    """
    montage = training_montages(val[0].pos, 0, seed=0)[0]
    n_base, rng = montage.n_chans, np.random.default_rng(1)
    n_batches = max(1, (n_windows or cfg.val_windows) // cfg.batch)
    return [make_batch(val, montage, courses, "val", cfg, rng, np.arange(n_base), k % 2 == 1)
            for k in range(n_batches)]


@torch.no_grad()
def validation_mse(model: EEGReconMC, batches: list[dict[str, torch.Tensor]]) -> float:
    """Mean squared error of the model's output against the clean windows (normalised units), eval mode.

    Parameters
    ----------
    model : EEGReconMC
        The network (put in eval mode).
    batches : list of dict
        Batches as :func:`validation_batches` returns them.

    Returns
    -------
    float
        MSE averaged over batches.
    """
    model.eval()
    return float(np.mean([torch.mean((forward_batch(model, b) - b["clean"]) ** 2).item() for b in batches]))


def train_multichannel(splits: dict[str, list[Recording]], courses: Courses, out: Path,
                       cfg: MultichannelTrainConfig | None = None, meta: dict | None = None,
                       progress: Callable[[str], None] | None = None) -> dict:
    """Train :class:`~eegrecon.models.multichannel_net.EEGReconMC` and save the best validation checkpoint.

    Parameters
    ----------
    splits : dict of str to list of Recording
        ``train`` and ``val`` recordings (one montage).
    courses : Courses
        Artifact time courses.
    out : Path
        Checkpoint stem (``.safetensors`` + ``.json``).
    cfg : MultichannelTrainConfig or None
        Settings.
    meta : dict or None
        Provenance added to the checkpoint's JSON (training data, licences).
    progress : callable or None
        Told a line per validation.

    Returns
    -------
    dict
        ``steps``, ``best_step``, ``best_val_mse``, ``seconds``, the validation curve.
    """
    cfg = cfg or MultichannelTrainConfig()
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    train, val = splits["train"], splits["val"]
    montages = training_montages(train[0].pos, cfg.extra_montages, cfg.seed)
    n_base = montages[0].n_chans
    model = EEGReconMC(n_chans=n_base, n_times=cfg.n_times, **cfg.model_kwargs)
    val_batches = validation_batches(val, courses, cfg)
    opt = make_adamw(model.parameters(), lr=cfg.lr, weight_decay=1e-4)
    averaged = (AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(cfg.ema_decay), use_buffers=True)
                if cfg.ema_decay else None)
    budget = cfg.minutes * 60.0
    t0, step, best, best_step, curve = time.perf_counter(), 0, np.inf, 0, []
    next_val = 60.0

    def done_share(elapsed: float) -> float:
        return step / cfg.steps if cfg.steps else elapsed / budget

    while done_share(elapsed := time.perf_counter() - t0) < 1.0:
        for group in opt.param_groups:
            group["lr"] = cfg.lr * 0.5 * (1 + np.cos(np.pi * min(done_share(elapsed), 1.0)))
        montage = montages[0] if rng.random() < 0.5 else montages[rng.integers(len(montages))]
        n_full = montage.n_chans
        k = rng.integers(min(cfg.min_channels, n_full), n_full + 1)
        if cfg.regional_probability and rng.random() < cfg.regional_probability:  # 0: the draws stay as before
            channels = regional_subset(montage.bank.pos, k, rng)
        else:
            channels = np.sort(rng.choice(n_full, size=k, replace=False))
        batch = make_batch(train, montage, courses, "train", cfg, rng, channels, rng.random() < cfg.ref_probability)
        model.train()
        pred = forward_batch(model, batch)
        loss = torch.mean((pred - batch["clean"]) ** 2)
        loss = loss + cfg.gate_weight * gate_loss(model.last_gate_logits, batch["noisy"], batch["clean"])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if averaged is not None:
            averaged.update_parameters(model)
        step += 1
        if cfg.steps:
            due = step % cfg.val_every == 0 or step == cfg.steps
        else:
            due = elapsed >= next_val or time.perf_counter() - t0 >= budget
        if due:
            next_val += 60.0
            kept = averaged.module if averaged is not None else model
            mse = validation_mse(kept, val_batches)
            curve.append({"step": step, "seconds": round(elapsed, 1), "val_mse": mse})
            if progress:
                progress(f"step {step} ({elapsed:.0f} s): val MSE {mse:.4f}")
            if mse < best:
                best, best_step = mse, step
                save_weights(out, kept, {"model": "eegrecon_mc", "model_kwargs": cfg.model_kwargs,
                                          "sfreq": 256.0, "n_times": cfg.n_times, "step": step,
                                          "normalisation": "window / median channel std (refs: own std)",
                                          "reference": "average", "train_config": cfg.model_dump(),
                                          "montage": train[0].ch_names, **(meta or {})})
    return {"steps": step, "best_step": best_step, "best_val_mse": best,
            "seconds": round(time.perf_counter() - t0, 1), "curve": curve}
