"""RNN (LSTM) peer (EEGdenoiseNet)."""

from __future__ import annotations

from torch import nn

from eegrecon.models.base import DenoisingModel, fill_doc


@fill_doc
class LSTMNet(DenoisingModel):
    """LSTM returning the whole sequence, flatten (T), 2 × (Linear T→T, ReLU, Dropout), Linear T→T.

    Parameters
    ----------
    %(braindecode_params)s
    hidden : int
        LSTM units (1 in the published model).
    dropout : float
        Dropout probability after each hidden dense layer.
    """

    fixed_length = True
    description = "EEGdenoiseNet RNN: 1-unit LSTM over the sequence + 3 dense layers (fixed length)"

    def __init__(self, n_chans: int = 1, n_times: int = 512, sfreq: float = 256.0, hidden: int = 1,
                 dropout: float = 0.3):
        super().__init__(n_chans, n_times, sfreq)
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Sequential(
            nn.Flatten(), nn.Linear(hidden * n_times, n_times), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(n_times, n_times), nn.ReLU(), nn.Dropout(dropout), nn.Linear(n_times, n_times))

    def denoise_1ch(self, x):
        h, _ = self.lstm(x.transpose(1, 2))  # (N, T, hidden)
        return self.head(h).unsqueeze(1)
