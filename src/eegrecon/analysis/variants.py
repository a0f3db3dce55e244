"""Model variants for the study: small training runs by config override, and test-time wrappers."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from eegrecon.baselines.filters import bandpass_notch
from eegrecon.data.corpus import Corpus
from eegrecon.method import Method
from eegrecon.neural import NeuralMethod
from eegrecon.training import load_config, train


def train_variant(corpus: Corpus, name: str, overrides: list[str], steps: int, out: Path,
                  threads: int | None = None) -> NeuralMethod:
    """Train the flagship with ``overrides`` (``key=value``) for ``steps`` steps; the best checkpoint as a Method."""
    base = [f"max_steps={steps}", f"val_every={max(25, steps // 5)}", "val_windows=40", "patience=100",
            f"warmup_steps={min(100, max(1, steps // 10))}"]
    if threads:
        base.append(f"threads={threads}")
    cfg = load_config(None, [*base, *overrides])
    res = train(cfg, Path(out) / name, corpus=corpus)
    return NeuralMethod.from_checkpoint(res["checkpoint"], name)


class TestTimeEnsemble(Method):
    """Average the model over the input's sign flip and time reversal (EEG has no preferred polarity or
    direction at this scale): mean of f(x), −f(−x), R f(R x), −R f(−R x)."""

    def __init__(self, method: Method, name: str | None = None):
        self.method = method
        self.name = name or f"{method.name} + test-time ensemble"

    def denoise(self, noisy, sfreq, **oracle):
        x = np.asarray(noisy, dtype=np.float64)
        f = lambda z: self.method.denoise(np.ascontiguousarray(z), sfreq)  # noqa: E731
        outs = [f(x), -f(-x), f(x[:, ::-1])[:, ::-1], -f(-x[:, ::-1])[:, ::-1]]
        return np.mean(outs, axis=0)


class PreFiltered(Method):
    """Classical band-pass + notch before the model (removes what lies outside the EEG band for certain)."""

    def __init__(self, method: Method, l_freq: float | None = 1.0, h_freq: float | None = 80.0,
                 notch: float | None = 50.0,
                 name: str | None = None):
        self.method, self.l_freq, self.h_freq, self.notch = method, l_freq, h_freq, notch
        self.name = name or f"filter ({l_freq}-{h_freq} Hz, notch {notch}), then {method.name}"

    def denoise(self, noisy, sfreq, **oracle):
        return self.method.denoise(bandpass_notch(noisy, sfreq, self.l_freq, self.h_freq, self.notch), sfreq)


class Fixed(Method):
    """Wrap an already-fitted method so that ``run_methods``' per-noise ``fit`` is a no-op."""

    def __init__(self, method: Method, name: str):
        self.method, self.name = method, name
        self.requires_oracle = method.requires_oracle

    def denoise(self, noisy, sfreq, **oracle):
        return self.method.denoise(noisy, sfreq, **oracle)
