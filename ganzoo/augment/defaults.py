"""The training-data pipeline's defaults, in one place (imports no TensorFlow):
`ganzoo.augment`'s dataset builders and `check` take them from here. How they were
chosen: docs/augmentation.md."""

#: The generated fraction of the examples in each batch. Images: chosen on digits
#: (N = 100 and 500, seeds 0-1; examples/results/augment_selection.txt): 0.8 led 0.5 by
#: 0.007 / 0.004 and matched 0.9 / 0.95. Audio: chosen on spoken digits (N = 100, seeds
#: 0-1), shared and new voices: 0.5 led 0.25 and 0.8 on both.
IMAGE_SHARE = 0.8
AUDIO_SHARE = 0.5
#: The loss weight (`sample_weight`) of a generated example; real ones weigh 1.
WEIGHT = 1.0
#: Generated examples made once and drawn again and again (None: fresh in every batch).
#: Images: a pool of 5,000 beat fresh images on all four of digits' choosing runs (N = 100
#: and 500, seeds 0-1, share 0.8: +0.002 to +0.007). Audio: a SpecGAN clip costs about
#: 25 ms of CPU (Griffin-Lim), so 600 steps of fresh clips would take about 12 minutes.
IMAGE_POOL = 5000
AUDIO_POOL = 2000
#: The classes of the generated examples: "uniform", "real" or "balance".
CLASS_SHARES = "uniform"
#: Latent truncation of the generated examples (None: the generator's full prior).
TRUNCATION = None
#: Curation of generated examples (`ganzoo.augment.curation`): no teacher by default;
#: with one, the least probability it must give the requested class, and the training
#: steps of a teacher ganzoo trains itself (`teacher="auto"`).
TEACHER = None
CONFIDENCE = 0.9
TEACHER_STEPS = 500
#: Classic augmentation, applied to real and generated examples alike. Images: whole-
#: pixel shifts and small rotations (cutout on request); audio: time shift, gain and a
#: silenced run of the waveforms, or SpecAugment's time / frequency masks of features
#: when the dataset computes them (`features=`).
IMAGE_CLASSIC = ("shift", "rotate")
AUDIO_CLASSIC = ("shift", "gain", "time_mask", "frequency_mask")
#: Their sizes: shifts up to this fraction of the side, rotations up to this many
#: degrees either way, cutout's square this fraction of the side; audio shifts up to
#: this fraction of the clip, gains within +-this many dB, masks up to this fraction
#: of the frames / bins.
IMAGE_SHIFT = 0.1
IMAGE_ROTATION_DEGREES = 10.0
IMAGE_CUTOUT = 0.25
AUDIO_SHIFT = 0.1
AUDIO_GAIN_DB = 6.0
AUDIO_MASK = 0.25

#: `check`: the shares it compares with classic augmentation alone, the folds of your
#: examples it holds out in turn, and each classifier's training steps.
CHECK_SHARES = (0.25, 0.5, 0.8)
CHECK_FOLDS = 3
CHECK_STEPS = 500
