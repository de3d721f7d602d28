"""The synthetic cohort: calibrated to every published aggregate, generated from a seed."""
