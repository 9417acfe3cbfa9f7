"""A profile names the person's community from the latest finished communities run."""

from datetime import timedelta

from app.extensions import db
from app.insights.models.communities import Community, CommunityMember, CommunityRun
from app.timeutil import utcnow
from tests.fixtures.users import make_user


def _run(*, members, label: str, days_ago: int = 0, finished: bool = True) -> None:
    at = utcnow() - timedelta(days=days_ago)
    run = CommunityRun(as_of=at, finished_at=at if finished else None, communities=1,
                       users=len(members), sizes=[len(members)])
    db.session.add(run)
    db.session.flush()
    db.session.add(Community(run_id=run.id, community_key=1, label=label, tags=[label],
                             size=len(members)))
    db.session.add_all(CommunityMember(run_id=run.id, user_id=u.id, community_key=1,
                                       centrality=1.0, participation=0.0) for u in members)
    db.session.commit()


def test_the_profile_names_the_community_of_the_latest_finished_run(client):
    ada, bob, cy = (make_user(username=n) for n in ("ada", "bob", "cy"))
    _run(members=[ada, bob], label="looms", days_ago=1)
    _run(members=[ada, bob, cy], label="engines")
    _run(members=[ada], label="half-written", finished=False)

    page = client.get("/u/ada").get_data(as_text=True)

    assert "Community: <strong>engines</strong>" in page and "(3 members)" in page
    assert "half-written" not in page and "looms" not in page


def test_no_community_line_without_a_run_or_outside_every_community(client):
    make_user(username="ada")
    bob = make_user(username="bob")
    assert "Community:" not in client.get("/u/ada").get_data(as_text=True)
    _run(members=[bob], label="engines")
    assert "Community:" not in client.get("/u/ada").get_data(as_text=True)
