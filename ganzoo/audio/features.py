"""Audio features computed inside the Keras graph."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="ganzoo")
class LogMel(keras.layers.Layer):
    """Waveform `[batch, samples]` -> log-mel spectrogram `[batch, frames, mels]`."""

    def __init__(self, sample_rate=16000, frame_length=512, frame_step=128, num_mels=40,
                 **kwargs):
        super().__init__(**kwargs)
        self.sample_rate, self.frame_length = int(sample_rate), int(frame_length)
        self.frame_step, self.num_mels = int(frame_step), int(num_mels)
        self.mel_matrix = tf.signal.linear_to_mel_weight_matrix(
            self.num_mels, self.frame_length // 2 + 1, self.sample_rate, 40.0,
            self.sample_rate / 2)

    def call(self, waveform):
        stft = tf.signal.stft(tf.cast(waveform, tf.float32), self.frame_length,
                              self.frame_step, pad_end=False)
        mel = tf.tensordot(tf.abs(stft), self.mel_matrix, 1)
        return tf.math.log(mel + 1e-6)

    def compute_output_shape(self, input_shape):
        frames = None
        if input_shape[1] is not None:
            frames = 1 + (input_shape[1] - self.frame_length) // self.frame_step
        return (input_shape[0], frames, self.num_mels)

    def get_config(self):
        return {**super().get_config(), "sample_rate": self.sample_rate,
                "frame_length": self.frame_length, "frame_step": self.frame_step,
                "num_mels": self.num_mels}


@keras.saving.register_keras_serializable(package="ganzoo")
class MFCCStatistics(keras.layers.Layer):
    """Waveform `[batch, samples]` -> `[batch, 4 * num_coefficients]`: the mean and
    standard deviation over time of the MFCCs and of their frame-to-frame differences.
    Time order is pooled away, so a network on these sees a clip as a texture of
    cepstra (another kind of listener than a CNN on the log-mel image)."""

    def __init__(self, sample_rate=16000, frame_length=512, frame_step=160, num_mels=64,
                 num_coefficients=20, **kwargs):
        super().__init__(**kwargs)
        self.log_mel = LogMel(sample_rate, frame_length, frame_step, num_mels)
        self.num_coefficients = int(num_coefficients)

    def call(self, waveform):
        mfcc = tf.signal.mfccs_from_log_mel_spectrograms(self.log_mel(waveform))
        mfcc = mfcc[..., :self.num_coefficients]
        delta = mfcc[:, 1:] - mfcc[:, :-1]
        moments = [tf.nn.moments(m, axes=[1]) for m in (mfcc, delta)]
        return tf.concat([part for mean, var in moments
                          for part in (mean, tf.sqrt(var + 1e-6))], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 4 * self.num_coefficients)

    def get_config(self):
        return {**super().get_config(), "sample_rate": self.log_mel.sample_rate,
                "frame_length": self.log_mel.frame_length,
                "frame_step": self.log_mel.frame_step, "num_mels": self.log_mel.num_mels,
                "num_coefficients": self.num_coefficients}
