"""Spectrograms, because people would rather look at sound than read numbers."""

import numpy as np

from ganzoo.core.plotting import save_figure


def log_spectrogram(waveform, n_fft=512, hop=128):
    """Magnitude STFT in dB, `[frames, n_fft // 2 + 1]` (NumPy, Hann window)."""
    waveform = np.asarray(waveform, dtype="float32").reshape(-1)
    if len(waveform) < n_fft:
        waveform = np.pad(waveform, (0, n_fft - len(waveform)))
    window = np.hanning(n_fft).astype("float32")
    frames = np.lib.stride_tricks.sliding_window_view(waveform, n_fft)[::hop] * window
    magnitude = np.abs(np.fft.rfft(frames, axis=1))
    return 20 * np.log10(magnitude + 1e-5)


def save_spectrogram_grid(waveforms, path, sample_rate, rows=None, row_names=None,
                          title=None, overwrite=True):
    """Writes a PNG grid of spectrograms (one per waveform); returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    waveforms = np.asarray(waveforms)
    n = len(waveforms)
    rows = rows or int(np.ceil(np.sqrt(n)))
    cols = int(np.ceil(n / rows))
    fig, axes = plt.subplots(rows, cols, figsize=(1.6 * cols + 0.8, 1.2 * rows + 0.6),
                             squeeze=False)
    seconds = waveforms.shape[-1] / sample_rate
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.axis("off")
            continue
        spec = log_spectrogram(waveforms[i])
        ax.imshow(spec.T, origin="lower", aspect="auto", cmap="magma", vmin=-60, vmax=30,
                  extent=(0, seconds, 0, sample_rate / 2000))
        if row_names is not None and i % cols == 0:
            ax.set_ylabel(str(row_names[i // cols]), rotation=0, ha="right", va="center")
    fig.suptitle(title or f"spectrograms (0-{sample_rate / 2000:g} kHz, {seconds:.2f} s)",
                 fontsize=9)
    return save_figure(fig, path, dpi=90, overwrite=overwrite)
