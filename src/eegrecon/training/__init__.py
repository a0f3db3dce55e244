"""Training: configs, losses, on-the-fly pair batches, the loop and checkpoints."""

from eegrecon.training.config import TrainConfig, load_config
from eegrecon.training.loop import train

__all__ = ["TrainConfig", "load_config", "train"]
