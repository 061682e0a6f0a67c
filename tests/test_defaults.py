"""One source for every default: the command line's options take the model classes'
defaults (or are one of the few deliberate, documented command-line choices), and the
tabular pieces share `ganzoo.tabular.defaults`."""

import argparse
import inspect

import pytest

from ganzoo import models
from ganzoo.cli import build_parser
from ganzoo.core import recipe as recipe_lib
from ganzoo.tabular import TabularAugmenter, defaults
from ganzoo.tabular.model import TabularGAN
from ganzoo.tabular.transformer import DataTransformer


def signature_defaults(cls):
    """Every keyword default of `cls(...)`, the base classes' included."""
    found = {}
    for klass in reversed(cls.__mro__):
        init = vars(klass).get("__init__")
        if init is None:
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.default is not inspect.Parameter.empty:
                found[name] = parameter.default
    return found


def train_subparser():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["train"]


def option_defaults(parser):
    return {action.dest: action.default for action in parser._actions}


def option_help(parser, dest):
    return next(a.help for a in parser._actions if a.dest == dest and a.help)


@pytest.mark.parametrize("name", models.trainable_names())
def test_train_options_leave_the_model_arguments_to_the_class(name):
    recipe = models.recipe(name)
    cls = models.model_class(name)
    assert recipe.model.split(":")[1] == cls.__name__
    class_defaults = signature_defaults(cls)
    train = train_subparser()
    cli_defaults = option_defaults(train)
    for option in recipe_lib.MODEL_OPTIONS:
        assert option in class_defaults, f"{cls.__name__} has no {option} argument"
        # no default of its own: left out, the class's applies
        assert cli_defaults[option] is None, option
    # the numbers the help text quotes are the class's
    assert f"{name} {class_defaults['latent_dim']}" in option_help(train, "latent_dim")
    assert f"{name} {class_defaults['model_size']}" in option_help(train, "model_size")
    assert f"{class_defaults['generator_ema']}" in option_help(train, "generator_ema")
    assert f"{class_defaults['discriminator_augment_p']}" in option_help(
        train, "discriminator_augment_p")
    # the recipe's own defaults are the schedule only, which the class does not have
    assert set(recipe.defaults) == {"epochs", "batch_size"}
    assert f"{name} {recipe.defaults['epochs']}" in option_help(train, "epochs")


def test_command_line_choices_are_the_documented_ones():
    train = option_defaults(train_subparser())
    for option, (value, reason) in recipe_lib.COMMAND_LINE_CHOICES.items():
        assert reason
        if option in train and train[option] is not None:
            assert train[option] == value, option


def test_a_recipe_builds_what_the_class_builds_by_default(tmp_path):
    """With no model option given, `ganzoo train` builds the class's default model."""
    from ganzoo.cli.train import _options

    train = train_subparser()
    args = train.parse_args(["wavegan", "--out", str(tmp_path), "--data", str(tmp_path)])
    recipe = models.recipe("wavegan")
    options = _options(args, recipe, None)
    data = recipe_lib.TrainingData("x", 8, None, num_classes=None)
    built = recipe.model_arguments(options, data)
    assert not set(built) & {"latent_dim", "model_size", "generator_ema",
                             "discriminator_augment_p"}


def test_tabular_pieces_share_one_set_of_defaults():
    augmenter = signature_defaults(TabularAugmenter)
    model = signature_defaults(TabularGAN)
    transformer = signature_defaults(DataTransformer)
    compile_defaults = {n: p.default for n, p in
                        inspect.signature(TabularGAN.compile).parameters.items()}
    assert augmenter["discriminator_dropout"] == model["discriminator_dropout"] \
        == defaults.DISCRIMINATOR_DROPOUT
    assert augmenter["generator_ema"] == model["generator_ema"] == defaults.GENERATOR_EMA
    assert augmenter["continuous_encoding"] == transformer["continuous_encoding"] \
        == defaults.CONTINUOUS_ENCODING
    assert augmenter["learning_rate"] == compile_defaults["learning_rate"] \
        == defaults.LEARNING_RATE
    assert augmenter["n_critic"] == defaults.N_CRITIC
    for shared in ("latent_dim", "generator_dims", "discriminator_dims"):
        assert augmenter[shared] == model[shared], shared
    # pac and the loss: the model's defaults, or the private ones under epsilon=
    plain, private = TabularAugmenter().params, TabularAugmenter(epsilon=1.0).params
    assert plain["pac"] == model["pac"] == defaults.PAC
    assert plain["loss"] == TabularGAN.default_loss == defaults.LOSS
    assert (private["pac"], private["loss"]) == (defaults.PRIVATE_PAC, defaults.PRIVATE_LOSS)
    # the library leaves the process's thread pools alone unless asked
    assert augmenter["cpu_threads"] is None


def test_the_tabular_optimizers_are_written_once():
    gan = TabularGAN(spans=[("scalar", 1), ("onehot", 2)], discrete_index=[1, 2], seed=0,
                     generator_dims=(8,), discriminator_dims=(8,))
    gan.compile()
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        config = optimizer.get_config()
        assert config["learning_rate"] == pytest.approx(defaults.LEARNING_RATE)
        for key, value in defaults.ADAM.items():
            assert config[key] == pytest.approx(value), key
    assert gan.adversarial_loss.n_critic == defaults.N_CRITIC


def test_augment_command_takes_the_augmenter_defaults():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    augment = option_defaults(sub.choices["augment"])
    assert augment["encoding"] is None and augment["batch_size"] is None
    assert str(signature_defaults(TabularAugmenter)["batch_size"]) in option_help(
        sub.choices["augment"], "batch_size")
