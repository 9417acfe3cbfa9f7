from markupsafe import Markup

from app.forum.revisions import diff_html, tokenize


def test_tokens_join_back_to_the_text():
    text = "line one\n\n  indented   code\tand tabs "
    assert "".join(tokenize(text)) == text


def test_an_unchanged_text_has_no_marks():
    assert diff_html("same words here", "same words here") == "same words here"


def test_a_changed_word_is_deleted_and_inserted():
    assert diff_html("use readlines here", "use iteration here") == (
        "use <del>readlines</del><ins>iteration</ins> here"
    )


def test_additions_and_removals():
    assert diff_html("a b", "a b c") == "a b<ins> c</ins>"
    assert diff_html("a b c", "a c") == "a <del>b </del>c"


def test_everything_is_escaped():
    html = diff_html("<b>old</b> & co", '<script>alert("x")</script> & co')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp; co" in html
    assert "<del>&lt;b&gt;old&lt;/b&gt;</del>" in html


def test_the_result_is_markup_safe_to_put_on_a_page():
    assert isinstance(diff_html("a", "b"), Markup)


def test_line_breaks_survive():
    assert diff_html("one\ntwo", "one\nthree") == "one\n<del>two</del><ins>three</ins>"


def test_empty_inputs():
    assert diff_html("", "") == ""
    assert diff_html("", "new") == "<ins>new</ins>"
