"""`ganzoo train dcgan`: images from an .npz, an image folder, or the bundled digits."""

import os

from ganzoo.core.recipe import TrainingData, TrainingRecipe


class DCGANRecipe(TrainingRecipe):
    name = "dcgan"
    summary = "image DCGAN (default data: the bundled MNIST digits)"
    # Sized for the first run (README command 1): 20 epochs on the 4,000 bundled digits
    # train in under three minutes on 2 CPU cores, and the auxiliary classifier (on by
    # default for labelled data) makes the digits recognisable as the class asked for
    # (benchmarks/first_run.py measures both).
    model = "ganzoo.image.model:DCGAN"
    defaults = {"epochs": 20, "batch_size": 64}
    class_loss_weight = 1.0
    # With a few hundred images 20 epochs are a few hundred steps; the small-data recipe
    # trains a smaller model for a fixed number of steps with discriminator augmentation
    # (benchmarks/small_data.py measures it at 500 digits from 1,000 to 20,000 steps,
    # benchmarks/cli_small_data.py through this command on seeds that chose nothing).
    small_data_size = 2_000
    small_data_recipe = {"steps": 8_000, "batch_size": 32, "model_size": 32,
                         "discriminator_augment": "default"}
    data_options = ("data", "image_size", "unconditional", "seed")

    def add_arguments(self, group):
        group.add_argument("--image-size", type=int, help="resize images to this side")

    def upgrade_legacy_options(self, saved):
        if "filters" in saved:  # ganzoo 0.2 named the width --filters
            saved["model_size"] = saved.pop("filters")
        return super().upgrade_legacy_options(saved)

    def load_data(self, options, verbose=True):
        import numpy as np

        from ganzoo import datasets
        from ganzoo.image import data

        digits = options.data is None
        class_names = None
        if digits:
            images, labels = datasets.load_digits()
            source = f"the bundled MNIST digits ({len(images):,})"
        elif os.path.isdir(options.data):
            images, labels, class_names = data.load_image_folder(
                options.data, options.image_size, verbose=verbose)
            source = f"{len(images)} images in {options.data}" + (
                f" ({len(class_names)} classes)" if class_names else "")
        elif options.data.endswith(".npz") and os.path.isfile(options.data):
            images, labels = data.load_npz(options.data)
            source = options.data
        else:
            raise ValueError(f"--data {options.data!r} is neither an .npz file nor a folder "
                             "of images.")
        if options.unconditional:
            labels, class_names = None, None
        images = data.check_images(images)
        labels = data.check_labels(labels, len(images))
        side = options.image_size or images.shape[1]
        shape = (side, side, images.shape[-1])
        num_classes = None if labels is None else int(labels.max()) + 1
        if class_names is not None and len(class_names) != num_classes:
            class_names = None  # trailing class folders without images
        what = f"{shape} images" + (f" of {num_classes} classes" if num_classes else "")

        def make_dataset(batch_size, model):
            return data.dataset_from_arrays(images, labels, batch_size=batch_size,
                                            image_size=options.image_size, seed=options.seed)

        score = None
        if digits and num_classes == 10 and side == 28:
            def score(model, n=1000):
                from ganzoo.image.evaluator import score_digits

                wanted = np.arange(n) % 10
                return score_digits(model.generate(n, labels=wanted, seed=1), labels=wanted)

        return TrainingData(f"{what} from {source}", len(images), make_dataset,
                            num_classes=num_classes, class_names=class_names,
                            sample_shape=shape, score=score)

    def build_model(self, options, data):
        from ganzoo.image import DCGAN

        return DCGAN(image_shape=data.sample_shape, num_classes=data.num_classes,
                     **self.model_arguments(options, data))
