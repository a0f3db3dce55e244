"""benchmarks/peers_converged.py: evaluating one peer keeps the committed rows of the others."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "peers_converged.py"
# loaded from its file: putting benchmarks/ on sys.path would let its scripts (models.py, ...) shadow modules
_spec = importlib.util.spec_from_file_location("peers_converged_script", SCRIPT)
peers_converged = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(peers_converged)


def _rows(methods: list[str], cc: float) -> pd.DataFrame:
    return pd.DataFrame([{"noise": noise, "method": m, "cc": cc} for m in methods for noise in ("eog", "emg")])


def test_method_key_strips_the_run_label():
    assert peers_converged.method_key("complex_cnn (converged run)") == "complex_cnn"
    assert peers_converged.method_key("wiener") == "wiener"


def test_with_earlier_replaces_evaluated_methods_and_keeps_the_rest(tmp_path):
    shipped = peers_converged.SHIPPED
    earlier = _rows([shipped, "complex_cnn (converged run)", "novel_cnn (not converged yet)", "wiener"], 0.5)
    path = tmp_path / "peers_converged.csv"
    earlier.to_csv(path, index=False)
    new = _rows(["novel_cnn (not converged yet)", shipped, "wiener"], 0.7)

    merged = peers_converged.with_earlier(new, path)

    by_method = merged.groupby("method")["cc"].agg(["min", "max", "size"])
    assert by_method.loc["novel_cnn (not converged yet)"].tolist() == [0.7, 0.7, 2]  # replaced, not duplicated
    assert by_method.loc["complex_cnn (converged run)"].tolist() == [0.5, 0.5, 2]  # not evaluated now: kept
    assert by_method.loc[shipped].tolist() == [0.7, 0.7, 2]
    order = list(dict.fromkeys(merged["method"]))
    assert order == [shipped, "complex_cnn (converged run)", "novel_cnn (not converged yet)", "wiener"]


def test_with_earlier_without_a_file_returns_the_new_rows(tmp_path):
    new = _rows(["wiener", peers_converged.SHIPPED], 0.7)
    merged = peers_converged.with_earlier(new, tmp_path / "absent.csv")
    assert list(dict.fromkeys(merged["method"])) == [peers_converged.SHIPPED, "wiener"]
    assert len(merged) == len(new)
