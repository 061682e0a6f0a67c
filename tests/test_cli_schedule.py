"""`ganzoo train`'s schedule: steps or epochs, chosen from the data's size when neither is
given, and the small-data recipe below the size it was measured for."""

import argparse
import csv
import os

import pytest

import ganzoo
from ganzoo import cli, models
from ganzoo.core import recipe as recipe_lib
from ganzoo.core.recipe import Schedule


@pytest.mark.parametrize("steps, examples, batch, per_call, rounds, per_round", [
    (8000, 500, 32, 1, 32, 250),     # rounds of ROUND_STEPS
    (8000, 500, 32, 8, 25, 320),     # of whole calls of 8 steps: 1,000 calls in 25 rounds
    (1000, 64000, 64, 8, 1, 1000),   # one pass is longer than a round
    (3000, 64000, 64, 8, 3, 1000),
    (100, 64, 16, 8, 1, 104),        # shorter than a round; 13 whole calls
    (1001, 10, 2, 1, 1, 1001),       # 7 x 11 x 13 steps: no equal rounds of 250 or more
    (1001, 10, 2, 8, 3, 336),        # 126 calls: 3 rounds of 42
])
def test_a_step_count_becomes_equal_rounds(steps, examples, batch, per_call, rounds,
                                           per_round):
    schedule = Schedule.of_steps(steps, examples, batch, per_call)
    assert (schedule.epochs, schedule.steps_per_epoch) == (rounds, per_round)
    assert schedule.in_steps
    assert f"{rounds * per_round:,} steps" in schedule.describe()


def options(**given):
    names = ("epochs", "steps", "batch_size", "model_size", "discriminator_augment",
             "discriminator_augment_p")
    return argparse.Namespace(**{name: given.get(name) for name in names})


def test_small_data_gets_the_small_data_recipe_and_says_so():
    dcgan = models.recipe("dcgan")
    chosen = options()
    note = dcgan.fill_in(chosen, 500)
    assert (chosen.steps, chosen.batch_size, chosen.model_size) == (8000, 32, 32)
    assert chosen.epochs is None and chosen.discriminator_augment == "default"
    assert "500 examples is small data" in note and "8,000 steps" in note
    assert "\n" not in note
    schedule = dcgan.schedule(chosen, 500, 32, 8)
    assert (schedule.epochs, schedule.steps_per_epoch) == (25, 320)


def test_what_the_command_line_gives_overrides_the_recipe():
    dcgan = models.recipe("dcgan")
    chosen = options(epochs=150, model_size=64)
    note = dcgan.fill_in(chosen, 500)
    # the user's schedule and width stay; the rest of the recipe applies
    assert (chosen.epochs, chosen.steps, chosen.model_size) == (150, None, 64)
    assert chosen.batch_size == 32 and chosen.discriminator_augment == "default"
    assert "steps" not in note and "model size" not in note
    assert dcgan.schedule(chosen, 500, 32) == Schedule(150)

    chosen = options(steps=3000)
    dcgan.fill_in(chosen, 500)
    assert (chosen.steps, chosen.epochs) == (3000, None)


def test_larger_data_keeps_the_epoch_defaults():
    dcgan = models.recipe("dcgan")
    chosen = options()
    assert dcgan.fill_in(chosen, dcgan.small_data_size + 1) == ""
    assert (chosen.epochs, chosen.batch_size, chosen.steps) == (20, 64, None)
    assert chosen.model_size is None and chosen.discriminator_augment is None
    wavegan = models.recipe("wavegan")
    chosen = options()
    assert wavegan.fill_in(chosen, 30) == ""  # no small-data recipe measured for audio
    assert (chosen.epochs, chosen.batch_size) == (10, 64)


def test_epochs_and_steps_both_given_is_refused(tmp_path, digits_npz, capsys):
    run = str(tmp_path / "run")
    with pytest.raises(SystemExit) as exit:
        cli.main(["train", "dcgan", "--data", digits_npz, "--out", run,
                  "--epochs", "2", "--steps", "100"])
    assert exit.value.code == 2
    assert "--steps: not allowed with argument --epochs" in capsys.readouterr().err
    for bad in ("0", "-3", "many"):
        with pytest.raises(SystemExit):
            cli.main(["train", "dcgan", "--data", digits_npz, "--out", run, "--steps", bad])
        assert "--steps" in capsys.readouterr().err
    assert not os.path.exists(run)


def test_a_run_in_steps_trains_that_many_and_resumes(tmp_path, digits_npz, capsys,
                                                     monkeypatch):
    monkeypatch.setattr(recipe_lib, "ROUND_STEPS", 14)
    run = str(tmp_path / "run")
    common = ["train", "dcgan", "--data", digits_npz, "--out", run, "--model-size", "4",
              "--latent-dim", "8", "--batch-size", "16"]
    assert cli.main(common + ["--steps", "32"]) == 0
    out = capsys.readouterr().out
    # 64 examples: the small-data recipe turned on what was not given, in one line
    note = [line for line in out.splitlines() if "small data" in line]
    assert len(note) == 1 and "8,000 steps" not in note[0]
    assert "discriminator augmentation (default)" in note[0]
    assert "32 steps (2 rounds of 16)" in out  # whole calls of 8 steps
    model = ganzoo.load_model(os.path.join(run, "model.keras"))
    assert int(model.g_optimizer.iterations) == 32
    assert model.augmentation.names == ("translation", "cutout", "color")

    # 64 examples are 4 batches: the data repeats within a round, and --resume continues
    assert cli.main(common + ["--steps", "48", "--resume", "--quiet"]) == 0
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1", "2", "3"]
    model = ganzoo.load_model(os.path.join(run, "model.keras"))
    assert int(model.g_optimizer.iterations) == 48


def test_none_turns_the_recipes_augmentation_off():
    dcgan = models.recipe("dcgan")
    chosen = options(discriminator_augment="none")
    chosen.generator_ema = chosen.latent_dim = chosen.r1_weight = None
    chosen.lecam_weight = chosen.spectral_norm = chosen.class_loss_weight = None
    chosen.precision, chosen.seed = "float32", 0
    dcgan.fill_in(chosen, 500)
    data = recipe_lib.TrainingData("x", 500, None, num_classes=10, sample_shape=(28, 28, 1))
    model = dcgan.build_model(chosen, data)
    assert model.augmentation is None and chosen.model_size == 32
