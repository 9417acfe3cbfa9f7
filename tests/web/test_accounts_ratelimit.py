"""Login, sign-up and reset requests are rate limited per address, on POST only."""

import pytest

from tests.fixtures.users import PASSWORD, make_user


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_AUTH": "3 per minute"}


def test_the_fourth_login_attempt_in_a_minute_gets_a_429_page(client):
    make_user(username="ada")
    for _ in range(3):
        assert client.post("/login", data={"identifier": "ada", "password": "guess guess"}).status_code == 422

    response = client.post("/login", data={"identifier": "ada", "password": PASSWORD})

    assert response.status_code == 429
    assert "Slow down" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_reading_the_forms_is_not_limited(client):
    for _ in range(6):
        assert client.get("/login").status_code == 200
        assert client.get("/register").status_code == 200
        assert client.get("/password/forgot").status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/register", {"username": "x", "email": "bad", "password": ""}),
        ("/password/forgot", {"email": "ada@example.com"}),
    ],
)
def test_registration_and_reset_requests_are_limited_too(client, path, data):
    for _ in range(3):
        assert client.post(path, data=data).status_code != 429
    assert client.post(path, data=data).status_code == 429

