"""The JSON API: every route answers, errors are JSON, and the OpenAPI document matches the routes."""

import csv
import io
import re

import pytest

pytestmark = pytest.mark.slow


def test_openapi_document_matches_the_routes(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    routed = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
    }
    assert documented == routed


def test_search_api(client):
    data = client.get("/api/search?q=transporte+publico+mujeres&per_page=5").get_json()
    assert data["total"] > 0 and len(data["hits"]) == 5
    assert {"id", "title", "rating", "snippet", "url"} <= set(data["hits"][0])
    assert data["facets"]["region"][0]["count"] >= 1
    assert "model" in data


def test_practices_list_and_detail(client):
    listing = client.get("/api/practices?region=africa&per_page=100").get_json()
    assert listing["total"] == len(listing["practices"]) > 0
    assert all(p["region"] == "africa" for p in listing["practices"])
    detail = client.get("/api/practices/baltimore-safe-streets").get_json()
    assert detail["lineage"] == ["chicago-cure-violence"]
    assert detail["sources"] and detail["sections"]["Problem"]


def test_downloads(client, inventory_size):
    response = client.get("/api/practices.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == inventory_size and rows[0]["url"].startswith("http")
    assert "attachment" in response.headers["Content-Disposition"]
    data = client.get("/api/practices.json").get_json()
    assert len(data) == inventory_size and data[0]["sources"]


def test_guidelines_and_cities(client):
    sections = client.get("/api/guidelines").get_json()["sections"]
    assert len(sections) == 174
    one = client.get("/api/guidelines/26.c.a.g").get_json()
    assert one["text"].startswith("Safe public transport") and one["practices"]
    cities = client.get("/api/cities").get_json()["cities"]
    city = client.get(f"/api/cities/{cities[0]['slug']}").get_json()
    assert city["practices"] and len(city["peers"]) == 5
    chicago = client.get("/api/cities/chicago-us").get_json()
    assert chicago["income_group"]["group"] == "high" and chicago["income_group"]["fiscal_year"].startswith("FY")


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/practices/nope", 404),
        ("/api/guidelines/nope", 404),
        ("/api/cities/nope", 404),
        ("/api/search?page=0", 400),
        ("/api/search?per_page=101", 400),
        ("/api/search?theme=nope", 400),
        ("/api/search?mode=x", 400),
        ("/api/practices?rating=great", 400),
        ("/api/nothing", 404),
    ],
)
def test_errors_are_json_with_status_and_message(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]
