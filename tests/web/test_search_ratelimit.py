"""Search is rate limited per address (RATELIMIT_SEARCH), like sign-in and posting."""

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_SEARCH": "2 per minute"}


def test_the_third_search_in_a_minute_gets_a_429_page(client):
    for word in ("regex", "pandas"):
        assert client.get(f"/search?q={word}").status_code == 200

    response = client.get("/search?q=numpy")

    assert response.status_code == 429
    assert "Slow down" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200  # browsing is not limited
