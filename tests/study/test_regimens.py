from analysis.data import derive
from analysis.study import overview, regimens


def test_combinations_on_the_fixture(fixture_cohort):
    combos = regimens.regimen_combinations(derive.subject_level(fixture_cohort.patients))
    # every fixture patient has a different regimen; single agents first, then alphabetical
    assert combos["n"].tolist() == [1] * 8
    assert combos["label"].tolist()[:3] == ["Bendamustine", "Cyclophosphamide", "Cyclophosphamide + Bendamustine"]
    assert "Cyclophosphamide + Anthracycline + Etoposide + Cisplatin" in set(combos["label"])


def test_plot_helpers_return_their_axes(fixture_cohort):
    import matplotlib.pyplot as plt

    adsl = derive.subject_level(fixture_cohort.patients)
    fig, axes = plt.subplots(2, 1)
    assert regimens.plot_regimen_upset(regimens.regimen_combinations(adsl), axes=tuple(axes)) == tuple(axes)
    fig2, ax = plt.subplots()
    assert overview.plot_delay(adsl, ax=ax) is ax
    assert overview.plot_emd_localisations(overview.emd_localisations(adsl), ax=ax) is ax
    plt.close("all")
