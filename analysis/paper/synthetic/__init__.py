"""The synthetic cohort: calibrated to every published aggregate, generated from a seed.

The defaults live here (a module without heavy imports) so that the command line can show them
without loading the generator.
"""

#: Default seed: the lowest calibration loss among seeds 1–17 (scanned with
#: ``benchmarks/bench_synthesize.py --scan``); part of calibrating, stated in the provenance note.
DEFAULT_SEED = 17
#: Patients without cytogenetic testing (unpublished; see module docstring).
DEFAULT_UNTESTED = 6
#: Annealing iterations (fixed, never time-based, for determinism).
DEFAULT_ITERATIONS = 16000
#: Ensemble members (``python -m analysis synthesize --ensemble N``): annealing iterations, first seed.
ENSEMBLE_ITERATIONS = 3000
ENSEMBLE_FIRST_SEED = 2025
