"""The traffic mix of the load test, as plain numbers (no Locust, no app).

The issue's mix is for the whole site: 80% reads, 15% votes, 5% new posts and answers.
Visitors who are not signed in can only read, so members carry all the writes: their
own mix is scaled up so that, with `MEMBER_SHARE` of the users signed in, the site as a
whole still sees 80/15/5.
"""

import random

MIX = {"read": 80.0, "vote": 15.0, "post": 5.0}
MEMBER_SHARE = 0.6  # signed-in users; the rest browse anonymously

# How reads spread over the pages (relative weights), and posts over answers and questions.
READS = {
    "home": 12, "thread": 30, "thread, 50 answers": 4, "category": 10, "tag": 10,
    "search": 8, "profile": 10, "leaderboard": 8, "course": 8,
}
POSTS = {"answer": 4, "ask": 1}


def member_mix(mix: dict[str, float] = MIX, member_share: float = MEMBER_SHARE) -> dict[str, float]:
    """Members' own read/vote/post percentages, so that the whole site sees `mix`."""
    if not 0 < member_share <= 1:
        raise ValueError("member_share must be in (0, 1]")
    total = sum(mix.values())
    writes = {kind: share / total * 100 / member_share
              for kind, share in mix.items() if kind != "read"}
    if sum(writes.values()) > 100:
        raise ValueError("too few members to carry the writes of this mix")
    return {"read": 100 - sum(writes.values()), **writes}


def page_weights(*, signed_in: bool, mix: dict[str, float] = MIX,
                 member_share: float = MEMBER_SHARE) -> dict[str, float]:
    """Percent of one user's requests per page and action (they sum to 100)."""
    shares = member_mix(mix, member_share) if signed_in else {"read": 100.0}
    weights = _spread(shares["read"], READS)
    if signed_in:
        weights["vote"] = shares["vote"]
        weights |= _spread(shares["post"], POSTS)
    return weights


def site_weights(mix: dict[str, float] = MIX,
                 member_share: float = MEMBER_SHARE) -> dict[str, float]:
    """Percent of all requests per page and action, members and visitors together."""
    member = page_weights(signed_in=True, mix=mix, member_share=member_share)
    visitor = page_weights(signed_in=False, mix=mix, member_share=member_share)
    return {name: member[name] * member_share + visitor.get(name, 0) * (1 - member_share)
            for name in member}


def action(page: str) -> str:
    """The locustfile's method for a page or action: "thread, 50 answers" ->
    "do_thread_50_answers"."""
    return "do_" + page.replace(",", "").replace(" ", "_")


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _spread(total: float, relative: dict[str, int]) -> dict[str, float]:
    whole = sum(relative.values())
    return {name: total * weight / whole for name, weight in relative.items()}
