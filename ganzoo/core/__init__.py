"""The adversarial core shared by every domain: the model and its training step, losses,
noise streams, the weight average, callbacks, scores, distribution, precision."""

from ganzoo._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__, {"AdversarialModel": "adversarial"},
    submodules=("adversarial", "conditioning", "distribute", "evaluator", "io", "losses",
                "noise", "plotting", "precision", "recipe", "report", "run_directory",
                "scores", "threads", "training_callbacks", "weight_average", "writers"))
