"""The command-line interface, run as a user would (simulated data: no ../shared needed)."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from eegrecon.cli import app

runner = CliRunner()


def _run(*args):
    return subprocess.run([sys.executable, "-m", "eegrecon.cli", *args], capture_output=True, text=True)


def test_help_lists_commands():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("run", "evaluate", "data", "noise"):
        assert cmd in res.output


def test_missing_data_dir_is_one_line_error(tmp_path):
    res = _run("data", "summary", "--data-dir", str(tmp_path / "nowhere"))
    assert res.returncode == 2
    assert "does not exist" in res.stderr and "Traceback" not in res.stdout + res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_noise_list_shows_every_noise(no_shared):
    res = runner.invoke(app, ["noise", "list"], terminal_width=200)
    assert res.exit_code == 0, res.output
    for name in ("white", "line", "eog", "mixture", "clipping"):
        assert name in res.output
    assert "simulated (no real eog found)" in res.output


@pytest.mark.slow
def test_run_main_job_on_simulated_data(no_shared, tmp_path):
    out = tmp_path / "run"
    res = runner.invoke(app, ["run", "--out", str(out)], terminal_width=200)
    assert res.exit_code == 0, res.output
    for f in ("config.yaml", "split.json", "data_summary.md", "figures/data_examples.png", "evaluation/summary.md",
              "evaluation/metrics.csv", "evaluation/figures/rrmse_t_vs_snr.png", "evaluation/figures/examples.png",
              "model/checkpoints/best.safetensors", "model/log.jsonl", "analysis/report.html"):
        assert (out / f).is_file(), f
    text = (out / "evaluation" / "summary.md").read_text()
    assert "wiener" in text and "oracle_wiener" in text and "eog" in text and "trained now" in text
    from eegrecon.models.pretrained import pretrained_path

    try:
        pretrained_path()
    except Exception:
        assert (out / "shipped_model_missing.txt").is_file()
    else:
        assert "eegrecon_net (shipped)" in text
        assert (out / "denoised" / "simulated_contaminated_clean_raw.fif").is_file()
        assert list((out / "denoised").glob("*_report.html"))


def test_data_summary_and_plot_on_simulated(no_shared, tmp_path):
    res = runner.invoke(app, ["data", "summary"], terminal_width=200)
    assert res.exit_code == 0 and "simulated_eeg" in res.output and "-7, -6" in res.output
    res = runner.invoke(app, ["data", "plot", "--out", str(tmp_path / "p.png")], terminal_width=200)
    assert res.exit_code == 0 and (tmp_path / "p.png").stat().st_size > 10_000


def test_data_summary_on_real_data(shared_data):
    res = runner.invoke(app, ["data", "summary", "--data-dir", str(shared_data)], terminal_width=250)
    assert res.exit_code == 0, res.output
    assert "eegmat" in res.output and "malta_eog" in res.output and "time-blocks" in res.output


def test_models_list_shows_shipped_bundle_and_architectures():
    res = runner.invoke(app, ["models", "list"], terminal_width=250)
    assert res.exit_code == 0, res.output
    assert "eegrecon_net" in res.output and "complex_cnn" in res.output and "neurokit_eog" in res.output


def test_train_then_evaluate_and_export_a_checkpoint(no_shared, tmp_path):
    run = tmp_path / "run"
    res = runner.invoke(app, ["train", "--out", str(run), "max_steps=4", "val_every=2", "batch_size=8",
                              "val_windows=4", "model_kwargs={width: 8, context: 16}"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "best step" in res.output and (run / "checkpoints" / "best.safetensors").is_file()
    res = runner.invoke(app, ["evaluate", "--model", str(run), "--no-baselines", "--noise", "eog", "--n-test", "5",
                              "--out", str(tmp_path / "ev")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ev" / "figures" / "examples.png").is_file()
    assert "run" in (tmp_path / "ev" / "summary.md").read_text()
    res = runner.invoke(app, ["export", str(run), "--onnx", str(tmp_path / "m.onnx")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m.onnx").is_file() and "max |difference|" in res.output
