import pytest
from itsdangerous import TimestampSigner

from app.accounts import tokens
from app.accounts.errors import InvalidToken

SECRET = "unit-test-secret"


def test_a_token_carries_its_payload_back():
    token = tokens.make_token(SECRET, tokens.VERIFY_EMAIL, {"uid": 7, "email": "a@example.com"})
    assert tokens.load_token(SECRET, tokens.VERIFY_EMAIL, token, max_age=60) == {
        "uid": 7,
        "email": "a@example.com",
    }


def test_a_verification_token_is_not_a_reset_token():
    token = tokens.make_token(SECRET, tokens.VERIFY_EMAIL, {"uid": 7})
    with pytest.raises(InvalidToken, match="not valid"):
        tokens.load_token(SECRET, tokens.RESET_PASSWORD, token, max_age=60)


def test_a_token_signed_with_another_key_is_refused():
    token = tokens.make_token("another-secret", tokens.VERIFY_EMAIL, {"uid": 7})
    with pytest.raises(InvalidToken, match="not valid"):
        tokens.load_token(SECRET, tokens.VERIFY_EMAIL, token, max_age=60)


def test_a_tampered_token_is_refused():
    token = tokens.make_token(SECRET, tokens.VERIFY_EMAIL, {"uid": 7})
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(InvalidToken, match="not valid"):
        tokens.load_token(SECRET, tokens.VERIFY_EMAIL, tampered, max_age=60)


def test_an_old_token_has_expired(monkeypatch):
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000)
    token = tokens.make_token(SECRET, tokens.RESET_PASSWORD, {"uid": 7})
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1_000_000 + 3601)
    with pytest.raises(InvalidToken, match="expired"):
        tokens.load_token(SECRET, tokens.RESET_PASSWORD, token, max_age=3600)
    assert tokens.load_token(SECRET, tokens.RESET_PASSWORD, token, max_age=3601) == {"uid": 7}


def test_the_fingerprint_follows_the_password_hash_and_the_key():
    first = tokens.password_fingerprint(SECRET, "scrypt:32768:8:1$salt$hash-one")
    assert first == tokens.password_fingerprint(SECRET, "scrypt:32768:8:1$salt$hash-one")
    assert first != tokens.password_fingerprint(SECRET, "scrypt:32768:8:1$salt$hash-two")
    assert first != tokens.password_fingerprint("other-key", "scrypt:32768:8:1$salt$hash-one")
    assert "hash-one" not in first
