"""Account rules as pure functions: usernames and passwords, no Flask and no database.

Each check returns an error message, or None when the value passes, so the service can
attach it to the right form field and a unit test can call it directly.
"""

import re

USERNAME_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200

# Usernames that would read as the site speaking, or collide with an anonymised account.
RESERVED_USERNAMES = frozenset(
    {"admin", "administrator", "moderator", "root", "support", "staff", "system", "guildhall"}
)

# Passwords of ten characters or more that still top the breached-password lists; a
# short, honest list that blocks the obvious, not a substitute for a breach corpus.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890", "0123456789", "12345678910", "123456789a", "1234567890a",
        "0987654321", "1111111111", "0000000000", "1234512345", "1122334455",
        "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "qwertyuiop", "qwertyuiop1",
        "qwerty12345", "qwerty123456", "asdfghjkl1", "asdfghjkl;", "zxcvbnm123",
        "1qaz2wsx3edc", "qazwsxedc123", "qwer1234asdf", "abcdefghij", "abcd123456",
        "abc1234567", "abcdef123456", "a123456789", "aa12345678", "password12",
        "password123", "password1234", "password12345", "password!1", "passw0rd12",
        "p@ssword123", "p@ssw0rd123", "passwordpassword", "mypassword", "mypassword1",
        "mypassword123", "newpassword", "newpassword1", "changeme123", "changeme12",
        "letmein123", "letmein1234", "welcome123", "welcome1234", "welcome2024",
        "welcome2025", "iloveyou12", "iloveyou123", "sunshine123", "princess123",
        "football123", "baseball123", "basketball", "basketball1", "superman123",
        "batman12345", "starwars123", "pokemon123", "dragon1234", "monkey12345",
        "master12345", "shadow12345", "michael123", "jennifer123", "jessica123",
        "charlie123", "computer123", "computer12", "internet123", "whatever123",
        "trustno1234", "administrator", "admin12345", "admin123456", "adminadmin",
        "root123456", "qwerty1234", "qwertyqwerty", "1234qwerty", "123qweasd12",
        "123qweasdzxc", "zaq12wsxcv", "zaq1zaq1zaq1", "aaaaaaaaaa", "abc123abc123",
        "1234554321", "9876543210", "5555555555", "7777777777", "9999999999",
        "1234567890q", "q1234567890", "liverpool1",
        "chelsea123", "arsenal123", "guildhall123", "guildhall2024", "guildhall2025",
    }
)


def username_error(username: str) -> str | None:
    if not USERNAME_RE.fullmatch(username or ""):
        return "Use 3 to 30 letters, digits, underscores or hyphens."
    key = username_key(username)
    if key in RESERVED_USERNAMES or key.startswith("deleted-"):
        return "That username is reserved. Please pick another."
    return None


def username_key(username: str) -> str:
    """The lower-cased form that uniqueness is checked on, so `Ada` and `ada` collide."""
    return username.strip().lower()


def password_error(password: str, *, username: str = "", email: str = "") -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 3:
        return "That password is too common. Please choose something harder to guess."
    personal = {username.lower(), email.lower(), email.lower().split("@")[0]} - {""}
    if lowered in personal:
        return "Your password must not be your username or email address."
    return None


def normalize_email(email: str) -> str:
    """Emails are stored lower-cased so one address cannot register twice."""
    return email.strip().lower()
