import ast
from pathlib import Path

import pytest

from app.forum.slugs import FALLBACK_SLUG, MAX_SLUG_LENGTH, slugify

PURE_MODULES = ("slugs.py", "revisions.py", "validation.py", "errors.py")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("How do I read a file?", "how-do-i-read-a-file"),
        ("  Café & C++ tips!  ", "cafe-c-tips"),
        ("Ünïcödé   in   Python 3.12", "unicode-in-python-3-12"),
        ("---", FALLBACK_SLUG),
        ("日本語のタイトル", FALLBACK_SLUG),
        ("", FALLBACK_SLUG),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_long_titles_are_cut_at_a_word_boundary():
    title = "why does my flask app " * 10
    slug = slugify(title)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert not slug.endswith("-")
    assert title.replace(" ", "-").startswith(slug + "-")


def test_one_very_long_word_is_cut_hard():
    assert slugify("a " + "x" * 200) == ("a-" + "x" * 200)[:MAX_SLUG_LENGTH]


@pytest.mark.parametrize("name", PURE_MODULES)
def test_pure_forum_modules_import_no_framework(name):
    source = Path(__file__).parents[2] / "app" / "forum" / name
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    for module in imported:
        assert not module.startswith(("flask", "sqlalchemy", "werkzeug")), module
        assert not module.startswith("app") or module == "app.forum.errors", module
