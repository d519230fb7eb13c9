"""The REST API in-process: read endpoints over a store, pages, one error shape, paging limits,
the token-guarded write endpoint."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

ARTICLE = ("Talks in Ankara\n\nMarch 3, 2025\n\nTurkish President Kemal Aydin will visit Egypt on "
           "Tuesday for talks on trade and energy, the foreign ministry in Ankara said. Egyptian "
           "police arrested 12 protesters in Cairo on Sunday, and Cairo condemned Israel over "
           "the border incident.")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from storyline.ingest.run import ingest_paths, sample_corpus_path
    from storyline.serve.app import create_app
    from storyline.store.sqlite import Store

    folder = tmp_path_factory.mktemp("api")
    db = str(folder / "api.db")
    store = Store(db)
    ingest_paths([str(sample_corpus_path())], store)
    store.close()
    return TestClient(create_app(db))


def test_lists_page_with_next(client):
    first = client.get("/api/articles", params={"limit": 10}).json()
    assert len(first["items"]) == 10 and first["next"]
    second = client.get("/api/articles", params={"limit": 10, "next": first["next"]}).json()
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
    capped = client.get("/api/events", params={"limit": 100000}).json()
    assert len(capped["items"]) <= 500


def test_read_endpoints(client):
    events = client.get("/api/events", params={"type": "CONSULT"}).json()["items"]
    assert events and all(e["type"] == "CONSULT" for e in events)
    stories = client.get("/api/stories").json()["items"]
    assert stories and {"id", "title", "start", "end", "article_ids", "event_ids"} <= set(stories[0])
    story = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert story["article_ids"] == stories[0]["article_ids"]
    timeline = client.get("/api/timeline", params={"story": story["id"]}).json()
    assert timeline["entries"] and timeline["entries"][0]["sources"]
    brief = client.get("/api/brief", params={"story": story["id"]}).json()
    assert brief["sentences"]
    article = client.get(f"/api/articles/{story['article_ids'][0]}").json()
    assert article["text"] and article["annotations"]["mentions"] and "events" in article
    assert client.get("/api/actors", params={"kind": "person"}).json()["items"]
    assert client.get("/api/quotes").json()["items"]
    assert client.get("/api/quantities").json()["items"]
    assert client.get("/api/search", params={"q": "earthquake"}).json()["items"]
    network = client.get("/api/network").json()
    assert network["nodes"] and network["edges"][0]["quad"]
    assert client.get("/docs").status_code == 200


def test_pages_of_missing_stories_and_articles_are_real_404s(client):
    story = client.get("/api/stories").json()["items"][0]
    assert client.get(f"/stories/{story['id']}").status_code == 200
    assert client.get(f"/articles/{story['article_ids'][0][:6]}").status_code == 200
    for url in ("/stories/s999999", "/articles/ffffffffffffffff", "/articles/ab"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert "Not found" in response.text


@pytest.mark.parametrize("url, status", [
    ("/api/articles/nope", 404), ("/api/stories/nope", 404), ("/api/events?limit=0", 422),
    ("/api/events?next=abc", 422), ("/api/timeline", 400), ("/api/timeline?dyad=RUS", 400),
    ("/api/search?q=%20", 400), ("/api/articles?limit=x", 422),
    ("/api/events?since=yesterday", 422), ("/api/events?since=2011-13", 422),
    ("/api/events?since=2014-02-30", 422), ("/api/events?since=2015&until=2014", 422),
    ("/api/network?until=tomorrow", 422), ("/api/brief?dyad=RUS,CHN&since=soon", 422),
])
def test_one_error_shape(client, url, status):
    response = client.get(url)
    body = response.json()
    assert response.status_code == status
    assert set(body) == {"error"} and {"status", "code", "message"} <= set(body["error"])


def test_a_bad_date_names_itself_and_what_to_give(client):
    body = client.get("/api/events?since=yesterday").json()["error"]
    assert body["code"] == "E116" and "'yesterday'" in body["message"]
    assert "2014-05" in body["message"]
    assert client.get("/api/events?since=2014-05&until=2014-05-31").status_code == 200


def test_pages_are_served(client):
    for url in ("/", "/events", "/network", "/status", "/stories/s1", "/articles/x"):
        response = client.get(url)
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert "text/html" in response.headers["content-type"]


def test_writes_need_the_token(client, monkeypatch):
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    assert client.post("/api/articles", json={"text": ARTICLE}).status_code == 403
    monkeypatch.setenv("STORYLINE_TOKEN", "s3cret")
    assert client.post("/api/articles", json={"text": ARTICLE}).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    assert client.post("/api/articles", json={"title": "no text"}, headers=auth).status_code == 400
    assert client.post("/api/articles", content=b"text", headers={
        **auth, "content-type": "text/plain"}).status_code == 415
    big = {"text": "word " * 500_000}
    assert client.post("/api/articles", json=big, headers=auth).status_code == 413
    response = client.post("/api/articles", json={"text": ARTICLE, "source": "Test Wire"},
                           headers=auth)
    assert response.status_code == 201 and response.json()["stored"] == 1
    article_id = response.json()["ids"][0]
    assert client.get(f"/api/articles/{article_id}").json()["events"]
    again = client.post("/api/articles", json={"text": ARTICLE}, headers=auth).json()
    assert again["stored"] == 0 and again["unchanged"] == 1  # idempotent
    upload = client.post("/api/articles", headers=auth,
                         files={"file": ("note.txt", b"\x00\x01binary", "text/plain")})
    assert upload.status_code == 400 or upload.json()["rejected"] == 1
