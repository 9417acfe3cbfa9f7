from email import message_from_bytes, policy
from pathlib import Path

import pytest

from app.outreach.mailer import MailError, render_email, send_email
from tests.fixtures.smtp import free_port, running_smtp_server

# The loopback server takes AUTH without TLS on purpose; aiosmtpd warns about it.
plain_auth = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_without_a_server_messages_land_in_the_outbox_folder(app):
    send_email("ada@example.com", "Hello", "Plain words", "<p>Rich words</p>")

    files = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Hello"
    assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert message["Message-ID"].endswith("@guildhall.local>")
    assert message.get_body(("plain",)).get_content().strip() == "Plain words"
    assert message.get_body(("html",)).get_content().strip() == "<p>Rich words</p>"


def test_a_text_only_message_has_no_html_part(app):
    message = send_email("ada@example.com", "Hello", "Only text")
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"


def test_with_a_server_messages_go_over_smtp_with_both_parts_and_extra_headers(app):
    with running_smtp_server() as smtp:
        app.config.update(MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port)
        send_email(
            "grace@example.com",
            "Digest",
            "Text body",
            "<p>HTML body</p>",
            headers={"List-Unsubscribe": "<https://guildhall.test/unsubscribe/x>"},
        )

    [received] = smtp.messages
    assert received.rcpt_tos == ["grace@example.com"]
    assert received.mail_from == "no-reply@guildhall.local"
    assert received.message["List-Unsubscribe"] == "<https://guildhall.test/unsubscribe/x>"
    assert received.text.strip() == "Text body"
    assert received.html.strip() == "<p>HTML body</p>"
    assert not list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))


@plain_auth
def test_smtp_login_uses_the_configured_credentials(app):
    with running_smtp_server(credentials=("mailer", "s3cret-pass")) as smtp:
        app.config.update(
            MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port,
            MAIL_USERNAME="mailer", MAIL_PASSWORD="s3cret-pass",
        )
        send_email("grace@example.com", "Hi", "Text")

    assert smtp.logins == [("mailer", "s3cret-pass")]
    assert len(smtp.messages) == 1


@plain_auth
def test_wrong_smtp_credentials_raise_a_mail_error(app):
    with running_smtp_server(credentials=("mailer", "s3cret-pass")) as smtp:
        app.config.update(
            MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port,
            MAIL_USERNAME="mailer", MAIL_PASSWORD="wrong",
        )
        with pytest.raises(MailError):
            send_email("grace@example.com", "Hi", "Text")
    assert smtp.messages == []


def test_an_unreachable_server_raises_a_mail_error(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    with pytest.raises(MailError, match="grace@example.com"):
        send_email("grace@example.com", "Hi", "Text")


def test_bodies_come_from_the_text_and_html_templates(app):
    with app.test_request_context():
        user = type("U", (), {"name": "Ada <script>", "email": "ada@example.com"})()
        text, html = render_email("verify_email", user=user, link="https://guildhall.test/v/x", hours=72)

    assert "Hi Ada <script>," in text  # plain text is not HTML-escaped
    assert "https://guildhall.test/v/x" in text
    assert "Ada &lt;script&gt;" in html and "<script>" not in html
    assert 'href="https://guildhall.test/v/x"' in html
