import sys

from .cli import main  # noqa: E402

# numpy reads its CPU-dispatch settings when it is first imported, and `synthesize` and
# `fit-report` compute committed outputs in this very process: same code paths on every machine.
from .pipeline import cpu_dispatch  # noqa: F401 - before numpy

sys.exit(main())
