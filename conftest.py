"""Root pytest setup, loaded for both tests/ and the nbval run of notebooks/executed/.

nbval re-executes the committed notebooks; their kernels inherit this
process's environment, so ``COMPENDIUM_OUTPUT_ROOT`` points at a temporary
folder and the re-execution never writes into the committed ``figures/`` and
``results/``, and the kernels get the same fixed settings the runner gives its
own (:mod:`analysis.pipeline.environment`).
"""

import os
import tempfile

from analysis import settings
from analysis.pipeline.environment import kernel_environment

os.environ.setdefault(settings.VARIABLES["output_root"], tempfile.mkdtemp(prefix="compendium-test-outputs-"))
os.environ.update(kernel_environment())
