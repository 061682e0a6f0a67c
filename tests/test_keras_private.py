"""ganzoo overrides one private method of Keras (`Model._maybe_symbolic_build`, see
`ganzoo.core.adversarial`). These tests fail when Keras renames it, changes its
signature or stops calling it from `fit`, and when the installed Keras is outside the
range setup.cfg declares (the range these tests passed on)."""

import configparser
import inspect
import os
import re

import keras
from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

from ganzoo.core.adversarial import AdversarialModel

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _version(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_keras_is_within_the_declared_range():
    config = configparser.ConfigParser()
    config.read(os.path.join(REPO, "setup.cfg"))
    requirement = next(line.strip() for line in
                       config["options"]["install_requires"].splitlines()
                       if line.strip().startswith("keras"))
    low, high = re.match(r"keras>=([\d.]+),<([\d.]+)$", requirement).groups()
    assert _version(low) <= _version(keras.__version__) < _version(high)


def test_the_overridden_private_method_is_still_keras_own():
    assert "_maybe_symbolic_build" in vars(TensorFlowTrainer)
    parameters = list(inspect.signature(TensorFlowTrainer._maybe_symbolic_build).parameters)
    assert parameters == ["self", "iterator", "data_batch"]
    assert list(inspect.signature(AdversarialModel._maybe_symbolic_build).parameters) == \
        parameters
    for method in (TensorFlowTrainer.fit, TensorFlowTrainer.evaluate):
        assert "self._maybe_symbolic_build(" in inspect.getsource(method)
