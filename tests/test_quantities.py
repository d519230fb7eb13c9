"""Quantities: units, scales, ranges, qualifiers, counts, years; dates are not quantities."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS


@pytest.fixture(scope="module")
def quantities():
    from storyline.annotate.nlp import load_nlp
    from storyline.annotate.timex import find_timexes
    from storyline.extract.quantities import find_quantities

    nlp = load_nlp()

    def run(text: str):
        times = [(t.start, t.end) for t in find_timexes(text, "2026-03-10")]
        return {q.text: q for q in find_quantities(text, nlp(text), times)}

    return run


def test_money_units_and_scales(quantities):
    found = quantities("The lender approved €1.2 billion for the port and $40-$45 per tonne of "
                       "grain, while exports reached 3.5 million tonnes in 2025.")
    money = found["€1.2 billion"]
    assert (money.normalized_value, money.normalized_unit) == (1.2e9, "EUR")
    price = found["$40-$45 per tonne"]
    assert (price.value, price.value_max, price.normalized_unit) == (40, 45, "USD per tonne")
    tonnes = found["3.5 million tonnes"]
    assert (tonnes.normalized_value, tonnes.normalized_unit, tonnes.year) == (3.5e6, "t", 2025)


def test_qualifiers_counts_percent_and_conversions(quantities):
    found = quantities("More than 1,200 rescuers searched an area of about 300 miles, and "
                       "prices rose 12% as nine trucks waited.")
    assert found["More than 1,200 rescuers"].qualifier == "more than"
    assert found["More than 1,200 rescuers"].measures == "rescuers"
    miles = found["about 300 miles"]
    assert miles.qualifier == "about" and miles.normalized_unit == "km"
    assert round(miles.normalized_value) == 483
    assert found["12%"].normalized_unit == "%"
    assert found["nine trucks"].value == 9


def test_dates_years_and_references_are_not_quantities(quantities):
    found = quantities("On March 4, 2026 the two sides met in Lima, as they did in 2019.")
    assert found == {}


@pytest.mark.shared
def test_seed_quantities(tmp_path, cli):
    """ACCEPTANCE "Quantities" on the seeds."""
    if not SEEDS.is_dir():
        pytest.skip("../shared is absent (seed corpus lives there)")
    db = str(tmp_path / "q.db")
    assert cli("ingest", str(SEEDS), "--db", db)[0] == 0
    code, stdout, _ = cli("export", "quantities", "--db", db)
    rows = [json.loads(line) for line in stdout.splitlines()]

    def has(value: float, unit: str | None, **extra) -> bool:
        return any(abs((r["normalized_value"] or 0) - value) < 1e-6 * max(1, value)
                   and r["normalized_unit"] == unit
                   and all(r[k] == v for k, v in extra.items()) for r in rows)

    assert has(38e9, "m3")
    assert any(r["value"] == 350 and r["value_max"] == 380 and
               r["normalized_unit"].startswith("USD per 1,000") for r in rows)
    assert has(60e9, "USD")
    assert has(240e9, "USD", year=2023)
    assert has(63, "%")
    assert has(50e9, "m3")
    assert has(2500, "km", qualifier="more than")
    assert has(16, None, measures="warships")
    assert has(40, None, qualifier="more than", measures="agreements")
    assert has(8, None, measures="strategic projects")
