"""The one-line set-up of every notebook: the context it returns and the patient-level switch."""

import pytest

from analysis import notebook, paths


def test_setup_loads_derives_and_labels(capsys):
    ctx = notebook.setup(str(paths.FIXTURE))
    printed = capsys.readouterr().out
    assert ctx.n == 8 and len(ctx.adsl) == 8
    assert set(ctx.adtte["endpoint"]) == {"PFS", "OS", "FOLLOWUP"} and len(ctx.adtte) == 3 * 8
    assert printed.strip() == ctx.label and "SYNTHETIC" in ctx.label


@pytest.mark.parametrize(
    "setting, synthetic, allowed",
    [("auto", True, True), ("auto", False, False), ("yes", False, True), ("no", True, False)],
)
def test_patient_level_figures_only_for_synthetic_data_unless_asked(setting, synthetic, allowed):
    class _Cohort:
        pass

    ctx = type("Ctx", (), {"cohort": _Cohort()})()
    ctx.cohort.synthetic = synthetic
    assert notebook.allow_patient_level(ctx, setting) is allowed


def test_an_unknown_patient_level_setting_is_refused():
    with pytest.raises(ValueError, match="'auto', 'yes' or 'no'"):
        notebook.allow_patient_level(None, "maybe")
