"""Images: the DCGAN, its input pipelines, callbacks and the digit evaluator."""

from ganzoo.image.callbacks import SampleGrid
from ganzoo.image.data import dataset_from_arrays, dataset_from_directory, dataset_from_tfds
from ganzoo.image.model import DCGAN, to_uint8
from ganzoo.image.networks import SUPPORTED_CHANNELS, SUPPORTED_SIDES

__all__ = [
    "DCGAN",
    "SampleGrid",
    "SUPPORTED_CHANNELS",
    "SUPPORTED_SIDES",
    "dataset_from_arrays",
    "dataset_from_directory",
    "dataset_from_tfds",
    "to_uint8",
]
