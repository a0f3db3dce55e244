"""The shared AdamW: the fused kernel runs the default update, and saved state resumes across implementations."""

import torch

from eegrecon.training.checkpoint import load_optimizer, save_optimizer
from eegrecon.training.optimizer import make_adamw


def _net(seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    conv = torch.nn.Conv1d
    return torch.nn.Sequential(conv(1, 8, 5, padding=2), torch.nn.GELU(), conv(8, 1, 5, padding=2))


def _steps(model: torch.nn.Module, optimizer: torch.optim.Optimizer, n: int, seed: int = 1) -> None:
    gen = torch.Generator().manual_seed(seed)
    for _ in range(n):
        x = torch.randn(4, 1, 64, generator=gen)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), x.flip(-1)).backward()
        optimizer.step()


def test_make_adamw_follows_the_default_update():
    ours, reference = _net(0), _net(0)
    _steps(ours, make_adamw(ours.parameters(), lr=1e-2, weight_decay=1e-4), 20)
    _steps(reference, torch.optim.AdamW(reference.parameters(), lr=1e-2, weight_decay=1e-4), 20)
    moved = max((p0 - p1).abs().max().item() for p0, p1 in zip(ours.parameters(), _net(0).parameters(), strict=True))
    gap = max((a - b).abs().max().item() for a, b in zip(ours.parameters(), reference.parameters(), strict=True))
    assert moved > 1e-2  # it trained
    assert gap < 1e-5 * max(1.0, moved)


def test_state_saved_by_default_adamw_resumes_in_make_adamw(tmp_path):
    straight, resumed = _net(0), _net(0)
    opt = torch.optim.AdamW(straight.parameters(), lr=1e-2, weight_decay=1e-4)
    _steps(straight, opt, 5)
    resumed.load_state_dict(straight.state_dict())
    save_optimizer(tmp_path / "optimizer", opt)
    restored = make_adamw(resumed.parameters(), lr=1.0, weight_decay=0.0)
    load_optimizer(tmp_path / "optimizer", restored)
    assert restored.param_groups[0]["lr"] == 1e-2  # the run's hyper-parameters come back
    assert restored.param_groups[0]["fused"] == make_adamw(_net(0).parameters(), 1e-2, 0.0).defaults["fused"]
    _steps(straight, opt, 5, seed=2)
    _steps(resumed, restored, 5, seed=2)
    for a, b in zip(straight.parameters(), resumed.parameters(), strict=True):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-4)
