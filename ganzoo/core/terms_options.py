"""Checks of the settings of the optional loss terms, shared by the model and its
command line (imports no TensorFlow)."""


def _optional_weight(name, weight, meaning=""):
    """A term's weight as a float, or None where it is off (None or 0)."""
    if weight is None or float(weight) == 0:
        return None
    if float(weight) < 0:
        raise ValueError(f"{name} must be >= 0{meaning}, got {weight}.")
    return float(weight)


def check_r1(weight, every):
    """`(weight or None, every)` of the R1 penalty."""
    if int(every) != every or int(every) < 1:
        raise ValueError(f"r1_every must be a positive whole number of steps, got {every}.")
    return _optional_weight("r1_weight", weight, " (gamma of the R1 penalty)"), int(every)


def check_lecam(weight, decay):
    """`(weight or None, decay)` of LeCam regularisation."""
    if not 0.0 < float(decay) < 1.0:
        raise ValueError(f"lecam_decay must be in (0, 1), got {decay}.")
    return _optional_weight("lecam_weight", weight), float(decay)
