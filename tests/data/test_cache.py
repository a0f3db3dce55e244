import numpy as np

from eegrecon.data.cache import cache_key, cached_windowset
from eegrecon.data.windowset import WindowSet


def test_cache_builds_once_and_key_tracks_settings(tmp_path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"123")
    calls = []

    def build():
        calls.append(1)
        return WindowSet(np.ones((2, 8)), 256.0, np.array(["g", "g"]), np.array(["s", "s"]))

    key = cache_key([f], {"sfreq": 256})
    ws1, cached1 = cached_windowset("src", key, build, tmp_path)
    ws2, cached2 = cached_windowset("src", key, build, tmp_path)
    assert (cached1, cached2) == (False, True) and len(calls) == 1
    np.testing.assert_array_equal(ws1.x, ws2.x)
    assert ws2.groups.tolist() == ["g", "g"]
    assert cache_key([f], {"sfreq": 128}) != key
    f.write_bytes(b"12345")
    assert cache_key([f], {"sfreq": 256}) != key


def test_corrupt_cache_entry_is_rebuilt(tmp_path):
    key = "k"
    (tmp_path / "src-k.npz").write_bytes(b"not a zip")
    ws, cached = cached_windowset("src", key, lambda: WindowSet(np.zeros((1, 4)), 1.0, ["g"], ["s"]), tmp_path)
    assert not cached and len(ws) == 1
