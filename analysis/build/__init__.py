"""Running and publishing, on top of every other stage.

* :mod:`~analysis.build.runner` — Papermill execution: parallel, cached by content hash, staged outputs
* :mod:`~analysis.build.cpus` — each notebook's share of the cores in a parallel build
* :mod:`~analysis.build.notebook_clean` — strips volatile metadata from executed notebooks
* :mod:`~analysis.build.report` — the HTML report (nbconvert pages + index of every figure and table)
"""
