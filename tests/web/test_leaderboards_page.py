"""The leaderboards page, the hide setting and the profile's streak calendar."""

import re
from datetime import date, timedelta

from app.accounts.models import User
from app.extensions import db
from app.gamification.models import ActivityDay
from app.insights.models import Event
from app.timeutil import utcnow
from tests.fixtures.forum import first_post, make_thread
from tests.fixtures.leaderboards import earn
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user


def _ranked_names(page: str) -> list[str]:
    return re.findall(r'<tr[^>]*>\s*<td class="leaderboard-rank">\d+</td>.*?class="user-link" href="/u/(\w+)"',
                      page, re.S)


def _crowd(n: int, *, prefix: str = "m") -> list[User]:
    people = []
    for i in range(n):
        user = make_user(username=f"{prefix}{i:03d}")
        earn(user, 1000 - i, days_ago=1)
        people.append(user)
    return people


def test_the_board_shows_rank_member_level_and_points(client):
    ada = make_user(username="ada", display_name="Ada Lovelace")
    earn(ada, 2500, days_ago=40)
    earn(ada, 12, days_ago=2)
    earn(make_user(username="bob"), 7, days_ago=1)

    response = client.get("/leaderboards")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _ranked_names(page) == ["ada", "bob"]
    assert '<svg class="avatar"' in page and ">Ada Lovelace</a>" in page
    assert "<td>Expert</td>" in page and "<td>Newcomer</td>" in page
    assert '<td class="leaderboard-points">12</td>' in page
    assert "Points earned in the last 7 days" in page
    assert 'aria-current="page">7 days</a>' in page and 'aria-current="page">Top</a>' in page


def test_tabs_switch_period_and_board_and_keep_the_other_choices(client):
    earn(make_user(username="old"), 50, days_ago=20)

    week = client.get("/leaderboards?period=week").get_data(as_text=True)
    month = client.get("/leaderboards?period=month&tag=").get_data(as_text=True)

    assert "No one here yet" in week
    assert _ranked_names(month) == ["old"]
    assert 'href="/leaderboards?period=all&amp;board=top"' in month
    assert 'href="/leaderboards?period=month&amp;board=rising"' in month


def test_the_viewers_row_is_highlighted(client):
    ada = make_user(username="ada")
    earn(ada, 5, days_ago=1)
    earn(make_user(), 9, days_ago=1)
    login_as(client, ada)

    page = client.get("/leaderboards").get_data(as_text=True)

    assert re.search(r'<tr class="leaderboard-you" aria-current="true">\s*<td class="leaderboard-rank">2</td>', page)
    assert "You are <strong>#2</strong> with 5 points" in page
    assert "Show my place" not in page


def test_a_viewer_further_down_gets_a_link_to_their_page(client):
    _crowd(51)
    last = db.session.scalar(db.select(User).filter_by(username="m050"))
    login_as(client, last)

    page = client.get("/leaderboards").get_data(as_text=True)

    assert "You are <strong>#51</strong>" in page
    assert 'href="/leaderboards?page=2&amp;period=week&amp;board=top">Show my place</a>' in page
    assert "leaderboard-you" not in page.split("<tbody>")[1]


def test_pages_of_fifty_with_bounded_queries(client):
    _crowd(3, prefix="a")
    with count_queries() as small:
        client.get("/leaderboards")
    _crowd(60, prefix="b")
    with count_queries() as large:
        first = client.get("/leaderboards").get_data(as_text=True)
    second = client.get("/leaderboards?page=2").get_data(as_text=True)

    assert small.count == large.count <= 2
    assert len(_ranked_names(first)) == 50 and "63 members ranked" in first
    assert 'rel="next" href="/leaderboards?page=2"' in first
    assert len(_ranked_names(second)) == 13
    assert '<td class="leaderboard-rank">51</td>' in second


def test_a_page_past_the_end_offers_the_way_back(client):
    _crowd(2)
    page = client.get("/leaderboards?page=9").get_data(as_text=True)
    assert "Nothing on this page" in page and "Back to the top" in page


def test_a_tag_board_and_an_unknown_tag(client):
    ada = make_user(username="ada")
    thread = make_thread(author=ada, tags=("python",))
    earn(ada, 5, days_ago=1, subject=first_post(thread), reason="question_upvoted")

    python = client.get("/leaderboards?tag=Python")
    cobol = client.get("/leaderboards?tag=cobol")

    assert python.status_code == 200 and _ranked_names(python.get_data(as_text=True)) == ["ada"]
    assert "on posts tagged" in python.get_data(as_text=True)
    assert cobol.status_code == 404
    assert "There is no tag named “cobol”" in cobol.get_data(as_text=True)


def test_a_tag_is_escaped_on_the_page(client):
    page = client.get("/leaderboards?tag=<script>x").get_data(as_text=True)
    assert "<script>x" not in page and "&lt;script&gt;x" in page


def test_the_rising_board(client):
    veteran = make_user(username="veteran")
    veteran.created_at = utcnow() - timedelta(days=200)
    db.session.commit()
    earn(veteran, 90, days_ago=1)
    earn(make_user(username="newbie"), 3, days_ago=1)

    page = client.get("/leaderboards?board=rising").get_data(as_text=True)

    assert _ranked_names(page) == ["newbie"]
    assert "by members who joined in the last 90 days" in page


def test_a_hidden_viewer_is_told_and_left_out(client):
    ada = make_user(username="ada")
    earn(ada, 10, days_ago=1)
    ada.hide_from_leaderboards = True
    db.session.commit()
    login_as(client, ada)

    page = client.get("/leaderboards").get_data(as_text=True)

    assert "You are hidden from public leaderboards." in page
    assert 'href="/settings"' in page and _ranked_names(page) == []


def test_a_signed_in_viewer_without_points_is_encouraged(client):
    login_as(client, make_user())
    page = client.get("/leaderboards").get_data(as_text=True)
    assert "You are not on this board yet" in page


def test_bad_arguments_show_the_default_board(client):
    earn(make_user(username="ada"), 4, days_ago=1)
    response = client.get("/leaderboards?period=forever&board=%3Cx%3E&page=abc")
    assert response.status_code == 200
    assert _ranked_names(response.get_data(as_text=True)) == ["ada"]


# -- the hide setting ----------------------------------------------------------


def _settings(**extra) -> dict:
    return {"timezone": "UTC", **extra}


def test_hiding_from_leaderboards_in_settings(client):
    ada = make_user(username="ada")
    earn(ada, 10, days_ago=1)
    login_as(client, ada)
    assert 'id="hide_from_leaderboards"' in client.get("/settings").get_data(as_text=True)

    response = client.post("/settings", data=_settings(hide_from_leaderboards="y"), follow_redirects=True)

    assert "Your settings have been saved." in response.get_data(as_text=True)
    assert db.session.get(User, ada.id).hide_from_leaderboards is True
    event = db.session.scalars(db.select(Event).filter_by(type="settings_update")).one()
    assert event.data["hide_from_leaderboards"] is True
    assert _ranked_names(client.get("/leaderboards").get_data(as_text=True)) == []

    client.post("/settings", data=_settings())
    assert db.session.get(User, ada.id).hide_from_leaderboards is False
    assert _ranked_names(client.get("/leaderboards").get_data(as_text=True)) == ["ada"]


def test_a_bad_settings_form_keeps_the_box_ticked_and_saves_nothing(client):
    ada = make_user(username="ada")
    login_as(client, ada)

    response = client.post("/settings", data=_settings(timezone="Mars/Olympus", hide_from_leaderboards="y"))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'checked id="hide_from_leaderboards"' in page
    assert db.session.get(User, ada.id).hide_from_leaderboards is False
    assert db.session.scalars(db.select(Event).filter_by(type="settings_update")).all() == []


def test_settings_need_a_login(client):
    response = client.post("/settings", data=_settings(hide_from_leaderboards="y"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# -- the profile's streaks and calendar ---------------------------------------------


def _active(user, *days: date, actions: int = 1) -> None:
    for day in days:
        db.session.add(ActivityDay(user_id=user.id, day=day, actions=actions))
    db.session.commit()


def test_the_profile_shows_streaks_and_the_calendar(client):
    ada = make_user(username="ada", display_name="Ada")
    today = utcnow().date()
    _active(ada, *(today - timedelta(days=n) for n in range(3)), actions=4)
    _active(ada, *(today - timedelta(days=n) for n in range(10, 15)))

    page = client.get("/u/ada").get_data(as_text=True)

    section = page[page.index('class="card profile-streak"'):]
    assert "<strong>3</strong> days <span class=\"muted\">current streak" in section
    assert "<strong>5</strong> days <span class=\"muted\">longest streak" in section
    assert 'role="img" aria-label="Ada&#x27;s activity: 17 actions on 8 days in the past year"' in section
    assert f'data-date="{today.isoformat()}" data-count="4"' in section


def test_the_calendars_today_is_the_owners_day(client):
    # Kiritimati is UTC+14: for its people "today" is already tomorrow for most of the UTC day
    make_user(username="ada", timezone="Pacific/Kiritimati")
    now = utcnow()
    owners_today = (now + timedelta(hours=14)).date()

    page = client.get("/u/ada").get_data(as_text=True)

    last = re.findall(r'data-date="([\d-]+)"', page)[-1]
    assert last == owners_today.isoformat()


def test_the_streak_partial_costs_one_query_whatever_the_history(client):
    make_user(username="quiet")
    busy = make_user(username="busy")
    today = utcnow().date()
    _active(busy, *(today - timedelta(days=n) for n in range(0, 400, 2)))

    with count_queries() as q_quiet:
        client.get("/u/quiet")
    with count_queries() as q_busy:
        page = client.get("/u/busy").get_data(as_text=True)

    assert q_quiet.count == q_busy.count
    assert len([s for s in q_busy.statements if "activity_day" in s]) == 1
    assert "Ask, answer, reply or vote" not in page
    assert len(re.findall(r'data-date="', page)) in range(365, 372)


def test_an_empty_calendar_invites_the_owner(client):
    ada = make_user(username="ada")
    login_as(client, ada)
    assert "Ask, answer, reply or vote and your days light up here." in client.get("/u/ada").get_data(as_text=True)
