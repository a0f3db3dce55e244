"""MatmulConvTranspose1d computes what nn.ConvTranspose1d computes, with the same state dict."""

import pytest
import torch

from eegrecon.models.transposed_conv import MatmulConvTranspose1d


@pytest.mark.parametrize(("c_in", "c_out", "kernel", "stride", "padding", "length"),
                         [(48, 16, 8, 8, 0, 16), (16, 2, 8, 4, 2, 33), (5, 3, 12, 4, 3, 7), (4, 1, 4, 4, 0, 1)])
def test_equals_torch_transposed_conv(c_in, c_out, kernel, stride, padding, length):
    torch.manual_seed(0)
    reference = torch.nn.ConvTranspose1d(c_in, c_out, kernel, stride=stride, padding=padding)
    fast = MatmulConvTranspose1d(c_in, c_out, kernel, stride, padding=padding)
    fast.load_state_dict(reference.state_dict())
    fast.eval()
    x = torch.randn(3, c_in, length)
    channels_last = torch.randn(3, length, c_in).transpose(1, 2)  # the layout run_blocks hands over
    with torch.no_grad():
        for inp in (x, channels_last):
            out = fast(inp)
            assert out.shape == reference(inp).shape
            torch.testing.assert_close(out, reference(inp), atol=1e-5, rtol=1e-5)


def test_training_mode_is_torch_own_kernel_and_gradients_match():
    torch.manual_seed(1)
    reference = torch.nn.ConvTranspose1d(6, 2, 8, stride=4, padding=2)
    fast = MatmulConvTranspose1d(6, 2, 8, 4, padding=2)
    fast.load_state_dict(reference.state_dict())
    x = torch.randn(2, 6, 10)
    assert torch.equal(fast(x), reference(x))  # training mode: bit for bit
    fast.eval()
    grads = torch.autograd.grad(fast(x).square().sum(), [fast.weight, fast.bias])
    expected = torch.autograd.grad(reference(x).square().sum(), [reference.weight, reference.bias])
    for got, want in zip(grads, expected):
        torch.testing.assert_close(got, want, atol=1e-4, rtol=1e-4)


def test_kernel_must_be_a_multiple_of_the_stride():
    with pytest.raises(ValueError, match="multiple of stride"):
        MatmulConvTranspose1d(4, 2, 6, 4)
