"""The spatial stage of the multichannel road: steps that fit over the channels of a stretch after the network —
regression on EOG/ECG channels, artifact sources, the optional refit, the artifact's common mode — and the broken
channels they must never see."""
