import os
import sys

from .build.environment import cpu_environment

# numpy reads its CPU-dispatch settings when it is first imported, and `synthesize` and
# `fit-report` compute committed outputs in this very process: same code paths on every machine.
os.environ.update(cpu_environment())

from .cli import main  # noqa: E402 - after the environment, before numpy

sys.exit(main())
