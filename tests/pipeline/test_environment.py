"""The kernel environment the runner fixes (analysis.pipeline.environment)."""

import os
import subprocess
import sys

from analysis.pipeline import environment


def test_every_setting_that_changes_bytes_is_fixed():
    env = environment.kernel_environment()
    assert env["MPLBACKEND"] == "Agg" and env["PYTHONHASHSEED"] == "0" and env["SOURCE_DATE_EPOCH"] == "0"
    assert env["LC_ALL"] == "C.UTF-8" and env["TZ"] == "UTC"
    assert {env[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")} == {"1"}


def test_numpy_accepts_the_cpu_settings_on_this_machine():
    # an unknown feature name is ignored by numpy, a baseline one would make the import fail
    env = {**os.environ, **environment.cpu_environment()}
    probe = "import numpy as np; print(np.exp(np.log(np.array([0.3, 0.7]))).tolist())"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
