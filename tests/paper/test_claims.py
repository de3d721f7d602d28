"""The claims registry covers the paper, obeys its schema, and gives the counts the cohort must reproduce.

Expected values are worked out by hand from the paper (Chalopin et al., Blood Cancer J 2025;15:174):
  C1 CR "33%" of 39 evaluable: 13/39 = 33.3% (12/39 = 30.8%, 14/39 = 35.9%)  -> 13
  best response CR 39%, VGPR 18%, ORR 68% of 44: 17/44 = 38.6%, 8/44 = 18.2%, 30/44 = 68.2%  -> PR = 30 - 17 - 8 = 5
  C6 ORR "87%" of 21: 18/21 = 85.7%, 19/21 = 90.5%, unreachable -> resolution n = 18
  2/44 = 4.545%: 5 rounded, 4 truncated; 1/8 = 12.5%: 13 half-up, 12 half-even (a true tie)
"""

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from analysis import paths
from analysis.data import derive
from analysis.exceptions import ClaimsError, CompendiumError
from analysis.paper import claims as C

# Every row label of Table 1 (both parts), headings with an empty cell included, as printed.
TABLE1_LABELS = [
    "N = 44 patients",
    "Median age, years-old",
    "Female, n(%)",
    "Median of prior lines",
    "Triple class refractory, n(%)",
    "ISS score III, n(%)",
    "Cytogenetic abnormalities, n(%)",
    "17p deletion",
    "1q21 gain",
    "t(4; 14)",
    "t(14; 16)",
    "Del1p32",
    "1q21 amplification",
    "Extramedullary disease, n(%)",
    "Number of involved sites, n(%)",
    "Type of localization, n(%)",
    "Cerebral",
    "Lung",
    "Liver",
    "Kidney",
    "Digestive",
    "Cutaneous",
    "Muscle",
    "ORL",
    "High plasma cell infiltration, n(%)",
    "Acute kidney failure, n(%)",
    "Hypercalcemia, n(%)",
    "Number of cycles of chemotherapy, n(%)",
    "Alkylating agent, n(%)",
    "Cyclophosphamide",
    "Bendamustine",
    "Belustine",
    "Anthracycline agent, n(%)",
    "Etoposide",
    "Vincristine",
    "Cisplatin",
    "Other",
    "Anti-BCMA bispecific, n(%)",
    "Teclistamab",
    "Elranatamab",
    "Delay between chemotherapy and bispecific, median days (min-max)",
    "CRS rate, n(%)",
    "Grade 1",
    "Grade 2",
    "Grade 3",
    "ICANS rate, n(%)",
    "Grade 2-3",
    "Grade 4",
    "Tocilizumab use, n(%)",
    "Dexamethasone use, n(%)",
    "Infection, n(%)",
    "Grade 3 infection",
    "Ig supplementation therapy",
    "Antipneumocystosis agent",
    "Antibioprophylaxis",
    "Antiviral agent",
    "Grade 3 cytopenias, n(%)",
]


@pytest.fixture(scope="module")
def by_id(registry):
    return {c.id: c for c in registry}


def _registry_file(tmp_path, body: str):
    path = tmp_path / "claims.yaml"
    path.write_text(
        f"schema_version: {C.SCHEMA_VERSION}\npaper: {{citation: x, doi: 10.1/x}}\nclaims:\n" + body, encoding="utf-8"
    )
    return path


GOOD = """- id: txt.female
  source: text
  section: baseline
  quote: "with 50% female (n = 22)"
  kind: proportion
  n: 22
  pct: 50
  pct_decimals: 0
  denominator: 44
  denominator_source: population
  metric: {table: adsl, numerator: "sex == 'F'", denominator: "all"}
"""


# ----------------------------------------------------------------------------- the committed registry
def test_registry_loads_with_158_claims_and_unique_ids(registry):
    ids = [c.id for c in registry]
    assert len(ids) == len(set(ids)) == 158
    assert {c.source for c in registry} == set(C.SOURCES)


def test_every_table1_row_label_appears_in_some_table1_quote(registry):
    quotes = [c.quote for c in registry if c.source == "table1"]
    missing = [label for label in TABLE1_LABELS if not any(label in q for q in quotes)]
    assert missing == []


def test_every_table1_value_row_is_one_claim(registry):
    # 59 rows carry a value: the "N = 44 patients" header (count), three medians (age, prior lines,
    # delay) and 55 n(%) rows; the 5 headings with an empty cell carry none.
    t1 = [c for c in registry if c.source == "table1"]
    assert len(t1) == 59
    assert [sum(c.kind == k for c in t1) for k in ("count", "median_range", "proportion")] == [1, 3, 55]


def test_the_paper_text_is_the_published_article_unchanged():
    # CC BY-NC-ND: no derivatives. The SHA-256 of the text as received (data/published/PAPER_LICENSE.md).
    import hashlib

    digest = hashlib.sha256(paths.PAPER_TEXT.read_bytes()).hexdigest()
    assert digest == "86b5dd19b2ef721b0b9b476641b62d30879bcffa2fe7667ef66121c3a32f4473"
    assert (paths.PUBLISHED / "PAPER_LICENSE.md").read_text(encoding="utf-8").count("CC BY-NC-ND 4.0") == 1


def test_quotes_of_text_claims_are_verbatim_in_the_paper(registry):
    raw = paths.PAPER_TEXT.read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", raw.replace("\\geq ", "≥").replace("$", ""))
    for c in registry:
        if c.source == "table1":
            label_cell = c.quote.split(" › ")[-1]
            label, cell = label_cell.split(" | ")
            assert re.search(rf"\|\s*{re.escape(label)}\s*\|\s*{re.escape(cell)}\s*\|", raw), c.id
        else:
            assert c.quote in text, c.id


def test_every_printed_number_appears_in_its_quote(registry):
    words = {"Twenty-two": 22, "two": 2, "one": 1, "No": 0}
    for c in registry:
        found = {Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", c.quote)}
        found |= {Decimal(v) for w, v in words.items() if re.search(rf"\b{w}\b", c.quote)}
        for name in ("n", "pct", "value", "min", "max", "ci_lower", "ci_upper", "p"):
            v = getattr(c, name)
            if v is not None:
                assert C.as_decimal(v) in found, f"{c.id}.{name} = {v} not in {c.quote!r}"


def test_kinds_fields_and_prefixes_are_consistent(registry):
    for c in registry:
        required, optional = C.KIND_FIELDS[c.kind]
        assert set(required) <= c.given and c.given <= set(C.COMMON_FIELDS + C.OPTIONAL_FIELDS + required + optional)
        assert c.id.startswith(C.ID_PREFIX[c.source] + ".")
        assert (c.metric is None) == (c.kind == "external" or c.id in {"txt.radiotherapy"}), (
            c.id
        )  # radiotherapy is not in the dictionary
        if c.kind == "proportion" and c.denominator_source == "stated":
            assert c.metric["denominator"] != "all", c.id


def test_the_paper_typos_are_kept_verbatim(by_id):
    assert "(n = 10%)" in by_id["txt.tocilizumab"].quote
    assert by_id["txt.tocilizumab"].n == 10
    assert by_id["txt.age"].value == 67 and by_id["t1.age"].value == 66
    assert by_id["t1.icans_grade2_3"].quote == "ICANS rate, n(%) › Grade 2-3 | 0"


def test_only_the_discussion_repeats_omit_their_range_or_interval(registry):
    no_ci = [c.id for c in registry if c.kind == "km_median" and not c.has_ci]
    no_range = [c.id for c in registry if c.kind == "median_range" and c.min is None]
    assert no_ci == ["disc.pfs_median_all"] and no_range == ["disc.followup"]


def test_every_metric_query_runs_on_the_fixture_cohort(registry, fixture_cohort):
    adsl = derive.subject_level(fixture_cohort.patients)
    adsl["followup_months"] = adsl["followup_days"] / derive.DAYS_PER_MONTH  # provided by the analysis code
    tables = {"adsl": adsl, "adrs": derive.response(fixture_cohort.patients).merge(adsl, on="patient_id")}
    for c in registry:
        m = c.metric or {}
        frame = tables.get(m.get("table", "adsl"))
        for key in ("numerator", "denominator", "group"):
            if m.get(key) not in (None, "all"):
                frame.query(m[key], engine="python")
        for key in ("column", "by"):
            if key in m:
                assert m[key] in frame.columns, f"{c.id}: {m[key]}"


# ----------------------------------------------------------------------------- target counts
def test_target_count_derives_percentages_printed_without_counts(by_id):
    assert C.target_count(by_id["txt.cr_c1"]) == 13
    assert C.target_count(by_id["txt.vgpr_c1"]) == 18
    best = [C.target_count(by_id[i]) for i in ("txt.best_orr", "txt.best_cr", "txt.best_vgpr")]
    assert best == [30, 17, 8] and best[0] - best[1] - best[2] == 5  # PR at best response
    assert C.target_count(by_id["txt.orr_debulking"]) == 12
    assert C.target_count(by_id["txt.infections_documented"]) == 11


def test_target_count_prefers_the_resolution(by_id):
    assert C.target_count(by_id["txt.orr_c6"]) == 18  # 87% of 21 is unreachable
    assert C.target_count(by_id["txt.orr_c3"]) == 25  # 73% of 34 only by truncation
    assert C.target_count(by_id["txt.orr_c1_hrca"]) == 12  # the fraction, not the 64%
    assert by_id["t1.iss3"].effective_denominator == 42
    assert C.target_count(by_id["t1.female"]) == 22 and C.target_count(by_id["txt.age"]) is None


def test_target_count_is_none_when_no_unique_count_fits(by_id):
    assert C.target_count(replace(by_id["txt.orr_c6"], resolution=None)) is None  # none fits
    half = replace(by_id["txt.cr_c1"], pct=50, denominator=3)  # 1/3, 2/3: none
    assert C.target_count(half) is None


# ----------------------------------------------------------------------------- loading and errors
def test_a_minimal_registry_loads(tmp_path):
    [claim] = C.load_claims(_registry_file(tmp_path, GOOD))
    assert claim.id == "txt.female" and claim.n == 22 and claim.metric["numerator"] == "sex == 'F'"


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda s: s.replace("  n: 22\n", "  n: 22\n  colour: red\n"), "colour"),
        (lambda s: s.replace("  n: 22\n", "  n: twenty\n"), "n"),
        (lambda s: s.replace("  pct: 50\n", "  pct: '50'\n"), "pct"),
        (lambda s: s.replace("  pct_decimals: 0\n", ""), "pct_decimals"),
        (lambda s: s.replace("source: text", "source: table1"), "id"),
        (lambda s: s.replace("section: baseline", "section: survival2"), "section"),
        (lambda s: s.replace("denominator_source: population", "denominator_source: guessed"), "denominator_source"),
        (lambda s: s.replace("sex == 'F'", "sex == 'F"), "metric.numerator"),
        (
            lambda s: s.replace('metric: {table: adsl, numerator: "sex == \'F\'", denominator: "all"}', "metric: null"),
            "metric",
        ),
        (lambda s: s.replace("  n: 22\n", "  n: 22\n  resolution: {n: 21}\n"), "why"),
    ],
)
def test_a_malformed_claim_names_its_id_and_field(tmp_path, edit, field):
    with pytest.raises(ClaimsError, match=rf"claim 'txt.female', field '{re.escape(field)}'"):
        C.load_claims(_registry_file(tmp_path, edit(GOOD)))


def test_duplicate_ids_and_duplicate_keys_are_refused(tmp_path):
    with pytest.raises(ClaimsError, match="field 'id': used twice"):
        C.load_claims(_registry_file(tmp_path, GOOD + GOOD))
    with pytest.raises(ClaimsError, match="written twice"):
        C.load_claims(_registry_file(tmp_path, GOOD.replace("  n: 22\n", "  n: 22\n  n: 23\n")))


def test_claims_error_is_a_compendium_error():
    assert issubclass(ClaimsError, CompendiumError)


def test_get_finds_a_claim_and_suggests_near_misses():
    assert C.get("txt.orr_c1").denominator == 39
    with pytest.raises(ClaimsError, match="did you mean txt.orr_c1"):
        C.get("txt.orr_c01")


def test_claims_frame_is_one_tidy_row_per_claim(registry):
    frame = C.claims_frame(registry)
    assert len(frame) == 158 and frame["id"].is_unique
    row = frame.set_index("id").loc["txt.orr_c6"]
    assert (row["target_count"], row["resolution_n"], row["denominator"]) == (18, 18, 21)
    assert frame.set_index("id").loc["t1.female", "metric"] == "table=adsl; numerator=sex == 'F'; denominator=all"


def test_a_resolution_reads_as_a_mapping_of_its_recorded_fields(by_id):
    res = by_id["t1.iss3"].resolution
    assert res.get("denominator", 44) == 42 and res["n"] == 20 and "value" not in res
    assert by_id["txt.age"].resolution.get("n", "unset") == "unset"
    assert by_id["txt.age"].resolution.as_dict()["value"] == 66.5


def test_paper_metadata_is_read_from_the_registry():
    from analysis.paper import claims

    meta = claims.paper()
    assert meta["doi"] == "10.1038/s41408-025-01365-y" and meta["citation"].startswith("Chalopin T")
    meta["doi"] = "changed"
    assert claims.paper()["doi"] == "10.1038/s41408-025-01365-y"  # a copy each time


# ----------------------------------------------------------------------------- the field table
# One claim of each kind, as in the registry; each edit below breaks one field or one rule of its kind's
# row in claim_fields.KINDS, and the message must name the field.
KIND_EXAMPLES = {
    "proportion": GOOD,
    "count": GOOD.replace(
        """  kind: proportion
  n: 22
  pct: 50
  pct_decimals: 0
  denominator: 44
  denominator_source: population
""",
        "  kind: count\n  n: 22\n",
    ),
    "median_range": """- id: txt.delay
  source: text
  section: debulking
  quote: "28 days (min-max: 4-197)"
  kind: median_range
  value: 28
  min: 4
  max: 197
  unit: days
  metric: {table: adsl, column: delay_days}
""",
    "km_median": """- id: txt.pfs_median_all
  source: text
  section: survival
  quote: "median PFS was 10.2 months (95%CI: 6.87-18.6)"
  kind: km_median
  value: 10.2
  ci_lower: 6.87
  ci_upper: 18.6
  unit: months
  endpoint: PFS
  group: all
  metric: {endpoint: PFS, group: all}
""",
    "logrank_p": """- id: txt.pfs_p_emd
  source: text
  section: survival
  quote: "(p = 0.05)"
  kind: logrank_p
  p: 0.05
  p_decimals: 2
  endpoint: PFS
  by: EMD
  metric: {endpoint: PFS, by: extramedullary}
""",
    "period": """- id: txt.period
  source: text
  section: cohort
  quote: "between March 2022 and July 2024"
  kind: period
  start: "2022-03"
  end: "2024-07"
  metric: {table: adsl, column: bsab_start_date}
""",
    "external": """- id: ext.majestec1_orr
  source: external
  section: external
  quote: "Teclistamab achieved an ORR of 63%"
  kind: external
  value: 63
  unit: "%"
  study: MajesTec-1
  reference: [5, 6]
  external: true
  metric: null
  notes: "External figure."
""",
}


def test_the_examples_cover_every_kind():
    assert set(KIND_EXAMPLES) == set(C.KINDS)


@pytest.mark.parametrize("kind", sorted(KIND_EXAMPLES))
def test_a_claim_of_each_kind_loads(tmp_path, kind):
    [claim] = C.load_claims(_registry_file(tmp_path, KIND_EXAMPLES[kind]))
    required, optional = C.KIND_FIELDS[kind]
    assert claim.kind == kind and set(required) <= claim.given
    if kind == "external":
        assert claim.reference == (5, 6) and claim.external is True
    if kind == "km_median":
        assert claim.has_ci and (claim.ci_lower, claim.value, claim.ci_upper) == (6.87, 10.2, 18.6)


@pytest.mark.parametrize(
    "kind, old, new, field, message",
    [
        ("proportion", "  pct: 50\n", "  pct: 150\n", "pct", "must lie in 0–100, got 150"),
        (
            "proportion",
            "  n: 22\n  pct: 50\n  pct_decimals: 0\n",
            "  n: null\n  pct: null\n  pct_decimals: null\n",
            "n",
            "and pct are both null; a proportion prints at least one of them",
        ),
        ("proportion", "  pct: 50\n", "  pct: 50.5\n", "pct_decimals", "50.5 has more decimals than 0"),
        ("proportion", "  pct: 50\n", "  pct: null\n", "pct_decimals", "must be null when pct is null"),
        (
            "proportion",
            "  pct_decimals: 0\n",
            "  pct_decimals: null\n",
            "pct_decimals",
            "must be a whole number ≥ 0, got None",
        ),
        ("proportion", "  n: 22\n", "  n: 45\n", "n", "45 exceeds the denominator 44"),
        (
            "proportion",
            "  denominator: 44\n",
            "  denominator: null\n",
            "denominator_source",
            "is 'unknown' exactly when denominator is null",
        ),
        (
            "proportion",
            "  denominator: 44\n",
            "  denominator: 0\n",
            "denominator",
            "must be a whole number ≥ 1 or null, got 0",
        ),
        (
            "proportion",
            "  n: 22\n",
            "",
            "n",
            "is required for kind 'proportion' (write `n: null` if it is not printed)",
        ),
        ("count", "  n: 22\n", "  n: null\n", "n", "must be a whole number ≥ 0, got None"),
        ("median_range", "  max: 197\n", "", "min", "give both min and max, or neither"),
        ("median_range", "  value: 28\n", "  value: 300\n", "value", "300 lies outside its range 4–197"),
        ("km_median", "  value: 10.2\n", "", "value", "is required for kind 'km_median'. Fix"),  # null = NR: no hint
        ("km_median", "  ci_upper: 18.6\n", "", "ci_lower", "give both ci_lower and ci_upper (null = NR), or neither"),
        ("km_median", "  unit: months\n", "  unit: days\n", "unit", "must be one of months, got 'days'"),
        ("km_median", "  ci_upper: 18.6\n", "  ci_upper: .nan\n", "ci_upper", "must be a number or null, got nan"),
        ("logrank_p", "  p: 0.05\n", "  p: 1.5\n", "p", "must lie in 0–1, got 1.5"),
        ("logrank_p", "  by: EMD\n", "  by: ISS\n", "by", "must be one of EMD, HRCA, got 'ISS'"),
        ("period", '  end: "2024-07"\n', '  end: "2021-01"\n', "end", "2021-01 is before start 2022-03"),
        (
            "period",
            '  start: "2022-03"\n',
            '  start: "2022-3"\n',
            "start",
            "must be a month written YYYY-MM (quoted), got '2022-3'",
        ),
        (
            "external",
            "  reference: [5, 6]\n",
            "  reference: [0]\n",
            "reference",
            "must be the paper's reference number or a list of them, got [0]",
        ),
        ("external", "  external: true\n", "  external: false\n", "external", "must be true for kind 'external'"),
        (
            "external",
            "  metric: null\n",
            "  metric: {table: adsl, column: age_years}\n",
            "metric",
            "must be null for kind 'external'",
        ),
        ("count", "  n: 22\n", "  n: 22\n  min: 1\n", "min", "is not a field of kind 'count'"),
    ],
)
def test_each_field_and_rule_of_the_table_names_the_claim_and_field(tmp_path, kind, old, new, field, message):
    body = KIND_EXAMPLES[kind]
    assert body.count(old) == 1
    cid = re.search(r"- id: (\S+)", body)[1]
    with pytest.raises(ClaimsError, match=rf"^claim '{re.escape(cid)}', field '{field}': {re.escape(message)}"):
        C.load_claims(_registry_file(tmp_path, body.replace(old, new)))


def test_kind_fields_are_read_from_the_table():
    for kind, spec in C.KINDS.items():
        assert C.KIND_FIELDS[kind] == (
            tuple(f.name for f in spec.fields if not f.omissible),
            tuple(f.name for f in spec.fields if f.omissible),
        )
    assert C.KIND_FIELDS["km_median"] == (("value", "unit", "endpoint", "group"), ("ci_lower", "ci_upper"))
    with pytest.raises(TypeError, match="unknown type 'intger'"):
        from analysis.paper.claim_fields import Field

        Field("n", "intger")


def _readme_rows(heading: str) -> dict[str, str]:
    text = (paths.PUBLISHED / "README.md").read_text(encoding="utf-8")
    block = text.split(heading, 1)[1].split("\n\n")[1]
    return {m[1]: m[2] for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", block, re.M)}


def test_the_readme_schema_tables_name_exactly_the_fields_of_the_table():
    rows = _readme_rows("Fields by `kind`:")
    assert set(rows) == set(C.KINDS)
    every_field = {f.name for spec in C.KINDS.values() for f in spec.fields}
    for kind, spec in C.KINDS.items():
        named = {token.split(":")[0] for token in re.findall(r"`([^`]+)`", rows[kind])} & every_field
        assert named == {f.name for f in spec.fields}, kind
        assert all(choice in rows[kind] for f in spec.fields for choice in f.choices or ()), kind
        assert ("omitted" in rows[kind]) == bool(spec.optional), kind
    assert set(_readme_rows("Every claim has:")) == set(C.COMMON_FIELDS + C.OPTIONAL_FIELDS)


# ----------------------------------------------------------------------------- the top level
def test_a_registry_of_another_schema_version_or_with_an_unknown_section_is_refused(tmp_path):
    path = _registry_file(tmp_path, GOOD)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"schema_version: {C.SCHEMA_VERSION}", "schema_version: 1"), encoding="utf-8")
    with pytest.raises(ClaimsError, match="schema_version 1 is not supported; this code reads version 2"):
        C.load_claims(path)
    path.write_text(text + "checks: {}\n", encoding="utf-8")
    with pytest.raises(ClaimsError, match="top-level keys schema_version, paper, claims and, optionally, audit"):
        C.load_claims(path)


def test_a_registry_without_an_audit_section_has_claims_but_no_audit(tmp_path):
    path = _registry_file(tmp_path, GOOD)
    assert [c.id for c in C.load_claims(path)] == ["txt.female"]
    with pytest.raises(ClaimsError, match="has no `audit:` section"):
        C.load_audit(path)
