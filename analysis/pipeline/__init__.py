"""Running and publishing, on top of every other stage.

* :mod:`~analysis.pipeline.orchestrate` — ``python -m analysis run``: which notebooks, on which data,
  where, in parallel, skipping what is current
* :mod:`~analysis.pipeline.execute` — one notebook through Papermill in a kernel, its outputs staged
* :mod:`~analysis.pipeline.provenance` — input hashes, staleness, the cell that made each file, the run manifest
* :mod:`~analysis.pipeline.environment` — every setting of a kernel that can change the bytes it writes
  (and :mod:`~analysis.pipeline.cpu_dispatch`, numpy's CPU dispatch fixed before numpy loads)
* :mod:`~analysis.pipeline.parallel` — how many cores a computation may use; task farms on Dask
* :mod:`~analysis.pipeline.notebook_clean` — strips volatile metadata from executed notebooks
* :mod:`~analysis.pipeline.report` — the HTML report (nbconvert pages + index of every figure and table)
"""
