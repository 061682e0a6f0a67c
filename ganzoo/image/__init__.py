"""Images: the DCGAN, its input pipelines, sample writers, callbacks and the digit
evaluator."""

from ganzoo._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {"DCGAN": "model", "SampleGrid": "callbacks", "ImageSamples": "samples",
     "to_uint8": "samples", "write_images": "samples",
     "dataset_from_arrays": "data", "dataset_from_directory": "data",
     "dataset_from_tfds": "data", "load_image_folder": "data", "load_npz": "data",
     "SUPPORTED_CHANNELS": "networks", "SUPPORTED_SIDES": "networks",
     "DigitEvaluator": "evaluator", "score_digits": "evaluator"},
    submodules=("callbacks", "data", "evaluator", "model", "networks", "recipe", "samples"))
