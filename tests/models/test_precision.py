"""Inference precision: bfloat16 only where the CPU computes it natively."""

import pytest
import torch

from eegrecon.models import neural


@pytest.mark.parametrize(("flags", "expected"), [(set(), "float32"), ({"avx512_bf16"}, "bfloat16"),
                                                 ({"amx_tile"}, "bfloat16"), ({"avx512f", "avx512bw"}, "float32")])
def test_auto_picks_bfloat16_only_on_native_bf16(monkeypatch, flags, expected):
    # oneDNN reports bf16 "supported" on every AVX-512 CPU (emulated, slower than float32): the CPU flags decide
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: True, raising=False)
    monkeypatch.setattr(neural, "cpu_flags", lambda: flags)
    assert neural.resolve_precision("auto") == expected
    assert neural.resolve_precision("float32") == "float32"


def test_no_bfloat16_without_onednn_support(monkeypatch):
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False, raising=False)
    monkeypatch.setattr(neural, "cpu_flags", lambda: {"avx512_bf16"})
    assert not neural.native_bf16()


@pytest.mark.skipif(not hasattr(torch.cpu, "_is_avx512_bf16_supported"), reason="this torch has no CPU-flag checks")
def test_cpu_flags_agree_with_torch_checks():
    flags = neural.cpu_flags()
    assert ("avx512_bf16" in flags) == torch.cpu._is_avx512_bf16_supported()
    assert ("amx_tile" in flags) == torch.cpu._is_amx_tile_supported()
