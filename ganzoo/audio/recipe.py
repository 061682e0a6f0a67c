"""`ganzoo train wavegan`: one-shot sounds from a folder of audio files."""

from ganzoo.core.recipe import TrainingData, TrainingRecipe


class AudioRecipe(TrainingRecipe):
    """What every audio model's command line shares: a folder of clips, decoded once,
    at the model's sample rate, sliced to `--slice-length`."""

    defaults = {"epochs": 10, "batch_size": 64}
    data_options = ("data", "sample_rate", "slice_length", "on_error", "unconditional", "seed")

    def add_arguments(self, group):
        group.add_argument("--slice-length", type=int, default=16384,
                           choices=(16384, 32768, 65536))
        group.add_argument("--sample-rate", type=int, default=16000)
        group.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                           help="what to do with an unreadable audio file")

    def load_data(self, options, verbose=True):
        import numpy as np

        from ganzoo.audio.data import load_clips

        if not options.data:
            raise ValueError(f"{self.name} needs --data, a folder of audio files.")
        clips = load_clips(options.data, options.sample_rate,
                           labels=None if options.unconditional else "auto",
                           on_error=options.on_error, verbose=verbose)
        names = clips.class_names
        classes = f" of {len(names)} classes" if names else ""

        def make_dataset(batch_size, model):
            return self.dataset(clips, options, batch_size, model)

        score = None
        from ganzoo.audio.evaluator import SAMPLE_RATE, SLICE, WORDS

        if names == list(WORDS) and options.sample_rate == SAMPLE_RATE and \
                options.slice_length == SLICE:
            def score(model, n=1000):
                from ganzoo.audio.evaluator import score_spoken_digits

                wanted = np.arange(n) % len(WORDS)
                return score_spoken_digits(model.generate(n, labels=wanted, seed=1), wanted)

        return TrainingData(f"{len(clips)} clips{classes} from {options.data}", len(clips),
                            make_dataset, num_classes=len(names) if names else None,
                            class_names=names, score=score)


    def dataset(self, clips, options, batch_size, model):
        """The training pipeline of the decoded clips (waveform slices)."""
        from ganzoo.audio.data import dataset_from_clips

        return dataset_from_clips(clips, options.slice_length, batch_size, seed=options.seed)


class SpecGANRecipe(AudioRecipe):
    name = "specgan"
    summary = "spectrogram SpecGAN, inverted with Griffin-Lim (--data: a folder of audio files)"
    model = "ganzoo.audio.specgan:SpecGAN"

    def dataset(self, clips, options, batch_size, model):
        from ganzoo.audio.specgan import spectrogram_dataset

        # Fits the model's spectrogram statistics on the training clips (on resume the
        # backup then restores the same values).
        return spectrogram_dataset(model, clips, batch_size, seed=options.seed)

    def build_model(self, options, data):
        from ganzoo.audio import SpecGAN

        return SpecGAN(slice_length=options.slice_length, sample_rate=options.sample_rate,
                       **self.model_arguments(options, data))


class WaveGANRecipe(AudioRecipe):
    name = "wavegan"
    summary = "raw-waveform WaveGAN (--data: a folder of audio files)"
    model = "ganzoo.audio.model:WaveGAN"

    def build_model(self, options, data):
        from ganzoo.audio import WaveGAN

        return WaveGAN(slice_length=options.slice_length, sample_rate=options.sample_rate,
                       **self.model_arguments(options, data))
