"""The adversarial core shared by every domain: model, losses, callbacks, metrics."""

from ganzoo.core import callbacks, io, losses, metrics, plotting, precision
from ganzoo.core.adversarial import AdversarialModel

__all__ = ["AdversarialModel", "callbacks", "io", "losses", "metrics", "plotting", "precision"]
