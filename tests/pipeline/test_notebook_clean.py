import copy

import nbformat

from analysis import paths
from analysis.pipeline.notebook_clean import clean_notebook


def _papermill_like():
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(
        {
            "papermill": {"start_time": "2026-01-01T00:00:00", "duration": 3.2},
            "jupytext": {"formats": "ipynb,py:percent"},
            "language_info": {"name": "python", "version": "3.11.7"},
        }
    )
    cell = nbformat.v4.new_code_cell("print(1)", id="a1b2c3")
    cell.metadata.update({"papermill": {"duration": 0.1}, "execution": {"iopub.execute_input": "x"}, "tags": []})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    cell.execution_count = 1
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    return nb


def test_volatile_metadata_is_removed_and_outputs_kept():
    nb = clean_notebook(_papermill_like())
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    assert "version" not in nb.metadata["language_info"]
    code = nb.cells[1]
    assert code.metadata == {} and code.id == "cell-1" and code.execution_count == 1
    assert code.outputs[0]["text"] == "1\n"


def test_cleaning_is_idempotent():
    once = clean_notebook(_papermill_like())
    twice = clean_notebook(copy.deepcopy(once))
    assert nbformat.writes(once) == nbformat.writes(twice)


def test_committed_executed_notebooks_are_clean():
    for path in sorted(paths.EXECUTED.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nbformat.writes(clean_notebook(copy.deepcopy(nb))) == nbformat.writes(nb), path.name
        assert not any(c.metadata.get("tags") == ["injected-parameters"] for c in nb.cells), (
            f"{path.name}: the committed record is the default run (no injected parameters)"
        )


def test_committed_outputs_hold_no_machine_paths():
    # a path of the build machine in an output (e.g. a warning naming site-packages) would make
    # nbval fail on any other checkout
    import json

    for path in sorted(paths.EXECUTED.glob("*.ipynb")):
        text = json.dumps(nbformat.read(path, as_version=4)["cells"])
        for marker in (str(paths.ROOT), "site-packages", "/tmp/", "/home/"):
            assert marker not in text, f"{path.name} output contains {marker!r}"
