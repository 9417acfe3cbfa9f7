"""Page arithmetic and the elided page window."""

import pytest

from app.web.pagination import Page


def page(number: int, total: int, per_page: int = 10) -> Page:
    return Page(items=[], page=number, per_page=per_page, total=total)


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (10, 1), (11, 2), (200, 20)])
def test_pages_round_up_and_never_drop_below_one(total, pages):
    assert page(1, total).pages == pages


def test_prev_and_next():
    assert (page(1, 30).has_prev, page(1, 30).has_next) == (False, True)
    assert (page(3, 30).has_prev, page(3, 30).has_next) == (True, False)
    assert (page(1, 0).has_prev, page(1, 0).has_next) == (False, False)


@pytest.mark.parametrize(
    ("number", "total", "window"),
    [
        (1, 0, [1]),
        (1, 30, [1, 2, 3]),
        (3, 50, [1, 2, 3, 4, 5]),
        (4, 200, [1, 2, 3, 4, 5, 6, None, 20]),
        (6, 200, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (20, 200, [1, None, 18, 19, 20]),
    ],
)
def test_window_shows_the_ends_and_the_neighbourhood(number, total, window):
    assert page(number, total).window() == window


def test_window_size_is_adjustable_and_a_page_past_the_end_is_clamped_out():
    assert page(10, 200).window(size=1) == [1, None, 9, 10, 11, None, 20]
    assert page(30, 200).window() == [1, None, 20]
