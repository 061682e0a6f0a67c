"""Every ganzoo model, by name: one line each.

The rest of the package asks a model what it is (its `domain`, `class_names`, how it
writes and previews samples; see `AdversarialModel`) rather than testing its type, so a
new model lives in its own folder and is known everywhere through its line here.
"""

import difflib
import importlib

#: name -> (the model class, the `ganzoo train` recipe or None), as "module:attribute".
MODELS = {
    "dcgan": ("ganzoo.image.model:DCGAN", "ganzoo.image.recipe:DCGANRecipe"),
    "wavegan": ("ganzoo.audio.model:WaveGAN", "ganzoo.audio.recipe:WaveGANRecipe"),
    "specgan": ("ganzoo.audio.specgan:SpecGAN", "ganzoo.audio.recipe:SpecGANRecipe"),
    "tabular": ("ganzoo.tabular.model:TabularGAN", None),
}


def _load(spec):
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)


def trainable_names():
    """The names `ganzoo train` takes."""
    return sorted(name for name, (_, recipe) in MODELS.items() if recipe)


def _check(name):
    if name not in MODELS:
        close = difflib.get_close_matches(name, list(MODELS), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(f"Unknown model {name!r}.{hint} Known models: {', '.join(MODELS)}.")


def model_class(name):
    _check(name)
    return _load(MODELS[name][0])


def recipe(name):
    """The training recipe of model `name` (imports no TensorFlow)."""
    _check(name)
    spec = MODELS[name][1]
    if spec is None:
        raise ValueError(f"Model {name!r} is not trained with `ganzoo train`.")
    return _load(spec)()


def import_all():
    """Imports every model class, which registers it with Keras' serialization (so
    `keras.saving.load_model` finds it)."""
    return [model_class(name) for name in MODELS]


def load_model(path, **kwargs):
    """`keras.saving.load_model` for a `.keras` file of any ganzoo model: imports the
    model classes first, so that Keras finds them."""
    import keras

    import_all()
    return keras.saving.load_model(path, **kwargs)
