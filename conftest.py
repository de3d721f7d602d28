"""Root pytest setup, loaded for both tests/ and the nbval run of notebooks/executed/.

nbval re-executes the committed notebooks; their kernels inherit this
process's environment, so ``COMPENDIUM_OUTPUT_ROOT`` points at a temporary
folder and the re-execution never writes into the committed ``figures/`` and
``results/``.
"""
import os
import tempfile

from analysis import paths

os.environ.setdefault(paths.OUTPUT_ROOT_ENV, tempfile.mkdtemp(prefix="compendium-test-outputs-"))
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
os.environ.setdefault("MPLBACKEND", "Agg")
