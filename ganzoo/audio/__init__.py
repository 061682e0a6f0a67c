"""Audio: WaveGAN and SpecGAN, their input pipelines, sample writers, callbacks,
spectrograms and the spoken-digit evaluator."""

from ganzoo._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {"WaveGAN": "model", "SpecGAN": "specgan", "spectrogram_dataset": "specgan",
     "SpectrogramNormalization": "spectrogram", "griffin_lim": "spectrogram",
     "SpectrogramGrid": "callbacks", "AudioSamples": "samples",
     "write_audio": "samples",
     "AudioClips": "data", "clips_from_arrays": "data", "dataset_from_arrays": "data",
     "dataset_from_clips": "data", "dataset_from_directory": "data",
     "dataset_from_files": "data", "list_audio_files": "data", "load_clips": "data",
     "write_wav": "data", "log_spectrogram": "plotting", "save_spectrogram_grid": "plotting",
     "SpokenDigitEvaluator": "evaluator", "score_spoken_digits": "evaluator"},
    submodules=("callbacks", "data", "evaluator", "features", "layers", "model", "networks",
                "plotting", "recipe", "samples", "specgan", "spectrogram"))
