"""Kaplan–Meier and cumulative-incidence figures: degenerate data draw, helpers return their axes."""
import numpy as np
import pandas as pd

from analysis.stats import survival


def test_summary_and_plot_degrade_gracefully_with_one_group_or_no_events():
    import matplotlib.pyplot as plt

    from analysis.render import km_plot
    tte = pd.DataFrame({"patient_id": list("abcdef"), "endpoint": "OS", "time_months": [1.0, 2, 3, 4, 5, 6],
                        "event": [0, 0, 0, 0, 0, 0], "g": [1, 1, 1, 1, 1, 1]})
    s = survival.endpoint_summary(tte, "OS", by="g", labels={1: "only"})
    assert s["events"].tolist() == [0] and np.isnan(s["median"].iloc[0]) and "logrank_p" not in s
    frame = tte.assign(time=tte["time_months"])
    fig, (ax, rax) = plt.subplots(2, 1)
    assert km_plot.plot_km(frame, "g", {1: "only"}, ax=ax, risk_ax=rax) == (ax, rax)
    two = frame.assign(g=[1, 1, 1, 0, 0, 0], event=[1, 1, 0, 0, 0, 0])
    s2 = survival.endpoint_summary(two.assign(time_months=two["time"]), "OS", by="g")
    assert np.isnan(s2["hr"].iloc[0]) and not np.isnan(s2["logrank_p"].iloc[0])   # HR not estimable: no events in g=0
    km_plot.plot_km(two, "g", ax=ax)
    plt.close("all")


def test_cumulative_incidence_plot_returns_axes():
    import matplotlib.pyplot as plt

    from analysis.render import km_plot
    cif = survival.cumulative_incidence([1, 2, 3, 4], ["progression", "", "infection", "other"],
                                        ["progression", "infection", "other"])
    fig, ax = plt.subplots()
    assert km_plot.plot_cumulative_incidence(cif, ax=ax) is ax
    plt.close(fig)
