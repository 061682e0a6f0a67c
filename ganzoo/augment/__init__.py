"""Better training data: your examples plus generated ones, from a pretrained preset or
your own model, with classic augmentation applied to both. "Augment" means this
everywhere in ganzoo: the functions here, the `ganzoo augment` command and
`TabularAugmenter.augment` (tables).

    ds = ganzoo.augment.image_dataset(x, y)        # for a classifier's model.fit
    ds = ganzoo.augment.audio_dataset(waves, labels)
    x_aug, y_aug = ganzoo.augment.images(x, y, per_class=100)      # arrays
    ganzoo.augment.folder("photos/", "augmented/", preset=..., per_class=100)
    ganzoo.augment.check(x, y)                     # does it help? on your examples

The pieces: `generated` (generated examples in the caller's format: arrays, folders),
`datasets` (real and generated examples mixed in `tf.data` at a share and a loss
weight), `classic` (the domain's classic augmentation
in `tf.data`), `curation` (a teacher keeps the generated examples it recognises),
`checking` (`check`: whether generated data helps your classifier), `defaults`
(the recipe, in one place).
"""

from ganzoo.augment.checking import CheckResult, check
from ganzoo.augment.datasets import audio_dataset, image_dataset
from ganzoo.augment.generated import audio, folder, images, plan_labels

__all__ = ["CheckResult", "audio", "audio_dataset", "check", "folder", "image_dataset",
           "images", "plan_labels"]
