"""is_safe_redirect: only paths on this site pass, whatever the trick."""

import pytest

from app.web.security import CONTENT_SECURITY_POLICY, is_safe_redirect


@pytest.mark.parametrize(
    "target",
    ["/", "/threads", "/threads?sort=top&page=2", "/c/python#top", "/search?q=a%20b",
     "/u/ada/", "/%2F%2Fevil.com", "  /settings  "],
)
def test_paths_on_this_site_are_safe(target):
    assert is_safe_redirect(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "   ",
        "//evil.com",
        "///evil.com",
        "//evil.com/path",
        "https://evil.com",
        "http://evil.com/",
        "HTTPS://EVIL.COM",
        "ftp://evil.com",
        "evil.com",
        "evil.com/path",
        "/\\evil.com",
        "\\\\evil",
        "\\/evil.com",
        "/\\/evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "\t//evil.com",
        "\n//evil.com",
        " //evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        "/\r\nLocation: https://evil.com",
        "/\x00/evil.com",
        "/\x0b/evil.com",
    ],
)
def test_evil_targets_are_refused(target):
    assert not is_safe_redirect(target)


def test_policy_forbids_inline_code_and_foreign_frames():
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
