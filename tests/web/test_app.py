from app.extensions import db
from app.insights.models import Event
from app.insights.services import record
from tests.fixtures.users import make_user


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_json_requests_get_json_errors(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["status"] == 404


def test_security_headers_forbid_inline_script(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_record_appends_an_event_with_its_subject(app):
    user = make_user()
    record("login", user=user, subject=user, data={"remember": True})
    db.session.commit()
    event = db.session.scalars(db.select(Event)).one()
    assert (event.type, event.user_id, event.subject_type, event.subject_id) == (
        "login", user.id, "user", user.id,
    )
    assert event.data == {"remember": True}
