"""Checks of the settings of the optional loss terms, shared by the model and its
command line (imports no TensorFlow)."""


def check_r1(weight, every):
    """`(weight or None, every)` of the R1 penalty."""
    if int(every) != every or int(every) < 1:
        raise ValueError(f"r1_every must be a positive whole number of steps, got {every}.")
    if weight is None or float(weight) == 0:
        return None, int(every)
    if float(weight) < 0:
        raise ValueError(f"r1_weight must be >= 0 (gamma of the R1 penalty), got {weight}.")
    return float(weight), int(every)


def check_lecam(weight, decay):
    """`(weight or None, decay)` of LeCam regularisation."""
    if not 0.0 < float(decay) < 1.0:
        raise ValueError(f"lecam_decay must be in (0, 1), got {decay}.")
    if weight is None or float(weight) == 0:
        return None, float(decay)
    if float(weight) < 0:
        raise ValueError(f"lecam_weight must be >= 0, got {weight}.")
    return float(weight), float(decay)
