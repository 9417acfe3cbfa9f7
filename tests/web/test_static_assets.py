"""Static files: links carry the content hash; a matching hash is cached for a year."""

import os
import re

from app.web.static_assets import ONE_YEAR, file_version


def _stylesheet_link(client) -> str:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'href="(/static/css/site\.css\?v=([0-9a-f]+))"', page)
    assert match, "the page links site.css with a version"
    return match.group(1)


def test_pages_link_static_files_with_their_content_hash(client):
    page = client.get("/").get_data(as_text=True)
    for asset in ("css/site.css", "css/highlight.css", "js/site.js", "img/logo.svg"):
        assert re.search(rf'/static/{re.escape(asset)}\?v=[0-9a-f]{{12}}"', page), asset


def test_a_versioned_file_is_cached_for_a_year_and_marked_immutable(client):
    response = client.get(_stylesheet_link(client))
    assert response.status_code == 200
    assert response.cache_control.max_age == ONE_YEAR
    assert response.cache_control.public
    assert "immutable" in response.headers["Cache-Control"]
    assert b"{" in response.data


def test_an_unversioned_or_stale_link_is_revalidated(client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.max_age is None, url
        assert "immutable" not in response.headers.get("Cache-Control", ""), url
        assert response.headers["ETag"]


def test_a_missing_file_gets_no_version_and_is_404(client):
    asset_url = client.application.jinja_env.globals["asset_url"]
    with client.application.test_request_context():
        assert asset_url("css/nope.css") == "/static/css/nope.css"
        assert asset_url("../app/config.py").endswith("config.py")
        assert "v=" not in asset_url("../app/config.py")
    assert client.get("/static/css/nope.css?v=abc").status_code == 404


def test_the_version_follows_the_file_contents(tmp_path):
    sheet = tmp_path / "site.css"
    sheet.write_text("body { color: black }")
    first = file_version(sheet)
    assert first == file_version(sheet)

    sheet.write_text("body { color: navy }")
    stat = sheet.stat()
    os.utime(sheet, (stat.st_atime, stat.st_mtime + 5))
    assert file_version(sheet) != first
    assert file_version(tmp_path / "gone.css") is None
