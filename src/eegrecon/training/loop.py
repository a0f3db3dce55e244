"""One plain PyTorch training loop: single process, or ``torchrun --nproc-per-node N`` (gloo, CPU).

Reproducible and resumable by construction: the batch at global step s is drawn from
``default_rng([seed, rank, s])`` over a DistributedSampler permutation fixed by (seed, epoch), dropout is
seeded per step, and the learning rate is a pure function of the step, so a resumed run replays exactly.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import yaml
from torch.utils.data import DistributedSampler

from eegrecon._version import __version__
from eegrecon.data.corpus import Corpus, build_corpus
from eegrecon.data.pairs import PairSet
from eegrecon.metrics import cc as cc_metric
from eegrecon.models.base import n_parameters
from eegrecon.models.checkpoint import load_weights, save_weights
from eegrecon.models.gate import gate_loss
from eegrecon.models.neural import predict
from eegrecon.models.registry import build_model
from eegrecon.noise import get_noise
from eegrecon.noise.sampling import fixed_pairs, noise_seed
from eegrecon.paths import resolve_data_dir
from eegrecon.training.checkpoint import load_optimizer, save_optimizer
from eegrecon.training.config import TrainConfig
from eegrecon.training.losses import get_loss
from eegrecon.training.optimizer import make_adamw
from eegrecon.training.stream import CleanWindows, PairMixer


def lr_at(step: int, cfg: TrainConfig, drops: int = 0) -> float:
    """Linear warm-up, then cosine decay to 1 % of ``lr`` at ``max_steps`` or, with ``lr_schedule="plateau"``,
    ``lr`` × ``plateau_factor`` ** ``drops``.

    Parameters
    ----------
    step : int
        Global step.
    cfg : TrainConfig
        Schedule settings.
    drops : int
        Learning-rate drops so far (plateau schedule only).

    Returns
    -------
    float
        Learning rate.
    """
    if step < cfg.warmup_steps:
        return cfg.lr * (step + 1) / cfg.warmup_steps
    if cfg.lr_schedule == "plateau":
        return cfg.lr * cfg.plateau_factor ** drops
    frac = min(1.0, (step - cfg.warmup_steps) / max(1, cfg.max_steps - cfg.warmup_steps))
    return cfg.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * frac)))


def snr_range_at(step: int, cfg: TrainConfig) -> tuple[float, float]:
    """Training SNR range at ``step``: the configured one, or the curriculum's easier one early on.

    Parameters
    ----------
    step : int
        Global step.
    cfg : TrainConfig
        SNR range and curriculum.

    Returns
    -------
    (float, float)
        Low and high SNR, dB.
    """
    lo, hi = cfg.snr_range
    if cfg.snr_curriculum <= 0:
        return lo, hi
    frac = min(1.0, step / max(1.0, cfg.snr_curriculum * cfg.max_steps))
    start = max(lo, hi - 2.0)
    return start + frac * (lo - start), hi


def _dist_info() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def validation_pairs(corpus: Corpus, cfg: TrainConfig) -> PairSet:
    """Fixed validation mixtures (val split, every training noise, ``val_snrs``).

    Parameters
    ----------
    corpus : Corpus
        Data.
    cfg : TrainConfig
        Noises, SNRs, counts, seed.

    Returns
    -------
    PairSet
        The pairs.
    """
    sets = [fixed_pairs(corpus.clean["val"], get_noise(n, corpus.pools("val")), np.asarray(cfg.val_snrs),
                        cfg.val_windows, noise_seed(cfg.seed, n, "val"), n, cfg.snr_definition) for n in cfg.noises]
    return PairSet.concat(sets)


def validate(model: torch.nn.Module, pairs: PairSet) -> dict[str, float]:
    """Validation MSE and CC of a model.

    Parameters
    ----------
    model : torch.nn.Module
        The network.
    pairs : PairSet
        Validation pairs.

    Returns
    -------
    dict of str to float
        ``val_mse`` and ``val_cc``.
    """
    den = predict(model, pairs.noisy)
    clean = pairs.clean.astype(np.float64)
    return {"val_mse": float(np.mean((den - clean) ** 2)), "val_cc": float(np.mean(cc_metric(den, clean)))}


class Logger:
    """Rank-0 JSON-lines log plus an optional callback (the CLI's progress bar).

    Parameters
    ----------
    path : Path or None
        The log file (appended to).
    callback : callable or None
        Called with each record.
    rank : int
        This process's rank (only rank 0 logs).
    """

    def __init__(self, path: Path | None, callback: Callable[[dict], None] | None, rank: int):
        self.path, self.callback, self.rank = path, callback, rank

    def __call__(self, record: dict) -> None:
        if self.rank != 0:
            return
        if self.path:
            with open(self.path, "a") as fh:
                fh.write(json.dumps(record) + "\n")
        if self.callback:
            self.callback(record)


def checkpoint_meta(cfg: TrainConfig, corpus: Corpus, model: torch.nn.Module, extra: dict) -> dict:
    """The JSON config saved beside the weights: what rebuilds the model and where its training data came from.

    Parameters
    ----------
    cfg : TrainConfig
        The run's config.
    corpus : Corpus
        The data it trained on.
    model : torch.nn.Module
        The network.
    extra : dict
        Step, validation metrics, ...

    Returns
    -------
    dict
        The config.
    """
    return {"model": cfg.model, "model_kwargs": cfg.model_kwargs, "n_parameters": n_parameters(model),
            "sfreq": corpus.sfreq, "n_times": corpus.clean["train"].n_times,
            "window_s": cfg.data.window.window_s,
            "normalisation": "each window divided by the std of the noisy window; output multiplied back",
            "snr_protocol": {"definition": cfg.snr_definition, "train_range_db": list(cfg.snr_range)},
            "artifact_types": cfg.noises, "data_sources": corpus.used_sources(), "split_seed": cfg.data.split_seed,
            "clean_origin": corpus.manifest.get("clean_origin"), "version": __version__, **extra}


def train(cfg: TrainConfig, out: Path, corpus: Corpus | None = None, resume: bool = False,
          on_log: Callable[[dict], None] | None = None, stop_after: int | None = None) -> dict:
    """Train ``cfg.model``; write checkpoints/{last,best}.{safetensors,json} and log.jsonl under ``out``.

    Parameters
    ----------
    cfg : TrainConfig
        The run's config.
    out : Path
        Run directory.
    corpus : Corpus or None
        Data already built (built from ``cfg`` when None).
    resume : bool
        Continue from ``out/checkpoints/last``.
    on_log : callable or None
        Called with each log record.
    stop_after : int or None
        End the process's work after this global step (used to simulate a kill in tests).

    Returns
    -------
    dict
        Steps, best validation metrics, seconds and paths.
    """
    rank, world = _dist_info()
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    out = Path(out)
    ckpt = out / "checkpoints"
    if rank == 0:
        ckpt.mkdir(parents=True, exist_ok=True)
        (out / "config.yaml").write_text(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False))
    if corpus is None:
        corpus = build_corpus(resolve_data_dir(cfg.data_dir), cfg.data)
    if rank == 0:
        (out / "split.json").write_text(json.dumps(corpus.manifest, indent=2, default=str))
    n_times = corpus.clean["train"].n_times
    torch.manual_seed(cfg.seed)
    model = build_model(cfg.model, 1, n_times, corpus.sfreq, **cfg.model_kwargs)
    if cfg.init_from:
        load_weights(cfg.init_from, model)
    optimizer = make_adamw(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    state = {"step": 0, "best_val_mse": float("inf"), "best_step": -1, "bad_rounds": 0, "train_seconds": 0.0,
             "lr_drops": 0, "stopped_by": None}
    if resume and (ckpt / "last.json").is_file():
        meta = load_weights(ckpt / "last", model)
        load_optimizer(ckpt / "optimizer", optimizer)
        state.update(meta["train_state"])
    ddp = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    loss_fn = get_loss(cfg.loss, **cfg.loss_kwargs)
    mixer = PairMixer(corpus, cfg.noises, cfg.snr_range, cfg.snr_definition, clean_fraction=cfg.clean_fraction,
                      background_probability=cfg.background_probability, background_ratio=cfg.background_ratio)
    sampler = DistributedSampler(CleanWindows(len(mixer.clean)), num_replicas=world, rank=rank, shuffle=True,
                                 seed=cfg.seed, drop_last=True)
    steps_per_epoch = max(1, len(sampler) // cfg.batch_size)
    val = validation_pairs(corpus, cfg) if rank == 0 else None
    log = Logger(out / "log.jsonl" if rank == 0 else None, on_log, rank)
    t_start = time.perf_counter() - state["train_seconds"]
    # a run that already stopped on patience has converged; resuming it (e.g. with a larger budget) is a no-op
    step, stop = state["step"], state["stopped_by"] == "patience"
    while step < cfg.max_steps and not stop:
        epoch = step // steps_per_epoch
        sampler.set_epoch(epoch)
        order = np.fromiter(iter(sampler), dtype=np.int64)
        running = []
        for b in range(step % steps_per_epoch, steps_per_epoch):
            rng = np.random.default_rng([cfg.seed, rank, step])
            noisy, clean = mixer.batch(order[b * cfg.batch_size:(b + 1) * cfg.batch_size], rng,
                                       snr_range_at(step, cfg))
            torch.manual_seed(cfg.seed * 1_000_003 + step)
            for g in optimizer.param_groups:
                g["lr"] = lr_at(step, cfg, state["lr_drops"])
            ddp.train()
            loss = loss_fn(ddp(noisy), clean)
            if getattr(model, "gated", False) and cfg.gate_weight:
                loss = loss + cfg.gate_weight * gate_loss(model.last_gate_logits, noisy, clean)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if cfg.grad_clip:
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            optimizer.step()
            running.append(loss.item())
            step += 1
            elapsed = time.perf_counter() - t_start
            over_time = cfg.time_budget_s is not None and elapsed >= cfg.time_budget_s
            if step % cfg.val_every == 0 or step >= cfg.max_steps or over_time:
                record = {"step": step, "epoch": epoch, "lr": lr_at(step - 1, cfg, state["lr_drops"]),
                          "train_loss": float(np.mean(running)), "seconds": elapsed}
                running = []
                if rank == 0:
                    record.update(validate(model, val))
                    improved = record["val_mse"] < state["best_val_mse"]
                    state["bad_rounds"] = 0 if improved else state["bad_rounds"] + 1
                    if (cfg.lr_schedule == "plateau" and state["bad_rounds"] >= cfg.patience
                            and state["lr_drops"] < cfg.plateau_drops):
                        state["lr_drops"] += 1  # a plateau: lower the rate and wait another `patience` rounds
                        state["bad_rounds"] = 0
                    state.update(step=step, train_seconds=elapsed, stopped_by=(
                        "patience" if state["bad_rounds"] >= cfg.patience else "time_budget" if over_time
                        else "max_steps" if step >= cfg.max_steps else None))
                    meta = checkpoint_meta(cfg, corpus, model, {"step": step, "val": record})
                    if improved:
                        state["best_val_mse"], state["best_step"] = record["val_mse"], step
                        save_weights(ckpt / "best", model, meta)
                    save_weights(ckpt / "last", model, {**meta, "train_state": state})
                    save_optimizer(ckpt / "optimizer", optimizer)
                    log(record)
                shared = torch.tensor([int(state["stopped_by"] in ("patience", "time_budget")), state["lr_drops"]])
                if world > 1:
                    dist.broadcast(shared, 0)  # every rank must stop together and use the same learning rate
                stop, state["lr_drops"] = bool(shared[0]), int(shared[1])
            if stop or step >= cfg.max_steps or (stop_after is not None and step >= stop_after):
                break
        if stop_after is not None and step >= stop_after:
            break
    if world > 1:
        dist.barrier()
    return {"steps": step, "best_step": state["best_step"], "best_val_mse": state["best_val_mse"],
            "stopped_by": state["stopped_by"], "lr_drops": state["lr_drops"],
            "train_seconds": time.perf_counter() - t_start, "checkpoint": str(ckpt / "best"),
            "n_parameters": n_parameters(model)}


def main_distributed(cfg: TrainConfig, out: Path, resume: bool = False,
                     on_log: Callable[[dict], None] | None = None) -> dict:
    """Entry for ``torchrun``: initialise gloo when launched with WORLD_SIZE > 1, then train.

    Parameters
    ----------
    cfg : TrainConfig
        The run's config.
    out : Path
        Run directory.
    resume : bool
        Continue from the last checkpoint.
    on_log : callable or None
        Called with each log record (rank 0).

    Returns
    -------
    dict
        What :func:`train` returns.
    """
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        dist.init_process_group("gloo")
    try:
        return train(cfg, out, resume=resume, on_log=on_log)
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
