"""Options validated once with one message shape; atomic writes that never leave a half-written file."""

from __future__ import annotations

import numpy as np
import pytest

from eegrecon.atomic import atomic_files, atomic_path
from eegrecon.errors import EegreconError, OptionError, UnknownNameError
from eegrecon.options import SNR_DEFINITIONS, check_option


def test_check_option_lists_the_choices():
    assert check_option("snr", "rms", SNR_DEFINITIONS) == "rms"
    with pytest.raises(OptionError, match="snr must be one of 'rms', 'power'; got 'db'"):
        check_option("snr", "db", SNR_DEFINITIONS)
    with pytest.raises(UnknownNameError, match="unknown model 'x'; must be one of 'a'") as info:
        check_option("model", "x", ["a"], lookup=True)
    assert isinstance(info.value, KeyError) and str(info.value).startswith("unknown")  # not quoted like KeyError


@pytest.mark.parametrize("call", [
    lambda: __import__("eegrecon.data.pairs", fromlist=["snr_db"]).snr_db(np.ones(4), np.ones(4), "db"),
    lambda: __import__("eegrecon.evaluation", fromlist=["EvalConfig"]).EvalConfig(snr_definition="db"),
    lambda: __import__("eegrecon.signal.validate", fromlist=["check_units"]).check_units(np.ones((1, 9)), "mV", "x"),
    lambda: __import__("eegrecon.noise", fromlist=["get_noise"]).get_noise("hum"),
])
def test_invalid_options_fail_with_the_allowed_values(call):
    # check_option's message, or pydantic's for a Literal field: both list the allowed values
    with pytest.raises(Exception, match="must be one of|should be 'rms' or 'power'"):
        call()


def test_unknown_training_model_fails_when_the_config_is_read():
    from eegrecon.training.config import load_config

    with pytest.raises(EegreconError, match="model must be one of .*'eegrecon_net'"):
        load_config(None, ["model=eegrecon_nett"])
    with pytest.raises(EegreconError, match="loss must be one of"):
        load_config(None, ["loss=mae"])
    with pytest.raises(EegreconError, match="snr_definition"):
        load_config(None, ["snr_definition=db"])


def test_atomic_path_leaves_nothing_on_error(tmp_path):
    dest = tmp_path / "sub" / "out.bin"
    with pytest.raises(RuntimeError), atomic_path(dest) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert not dest.exists() and list(dest.parent.iterdir()) == []
    with atomic_path(dest) as tmp:
        tmp.write_bytes(b"whole")
    assert dest.read_bytes() == b"whole" and [p.name for p in dest.parent.iterdir()] == ["out.bin"]


def test_atomic_files_moves_every_file_or_none(tmp_path):
    with pytest.raises(RuntimeError), atomic_files(tmp_path, "rec.vhdr") as tmp:
        (tmp / "rec.eeg").write_bytes(b"x")
        raise RuntimeError("export failed")
    assert list(tmp_path.iterdir()) == []
    with atomic_files(tmp_path, "rec.vhdr") as tmp:
        for suffix in (".vhdr", ".vmrk", ".eeg"):
            (tmp / f"rec{suffix}").write_text(suffix)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rec.eeg", "rec.vhdr", "rec.vmrk"]


def test_cache_write_failure_leaves_no_temp_file(tmp_path, monkeypatch):
    from eegrecon.data import cache
    from eegrecon.data.windowset import WindowSet

    def broken_savez(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(cache.np, "savez", broken_savez)
    ws = WindowSet(np.zeros((2, 8), np.float32), 256.0, np.array(["a", "b"]), np.array(["s", "s"]))
    with pytest.raises(OSError, match="disk full"):
        cache.cached_windowset("src", "k", lambda: ws, tmp_path)
    assert list(tmp_path.iterdir()) == []
