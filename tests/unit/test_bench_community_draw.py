"""The benchmark community's shape, drawn without a database."""

import numpy as np

from bench.community_draw import VIEW, Sizes, draw


def test_the_same_seed_draws_the_same_community():
    one, two = draw(Sizes.small(), seed=3), draw(Sizes.small(), seed=3)
    for key in one.events:
        assert np.array_equal(one.events[key], two.events[key])
    assert not np.array_equal(one.events["user"], draw(Sizes.small(), seed=4).events["user"])


def test_people_look_mostly_in_their_home_tag_family():
    """What lets the communities job find clusters: most of a person's views fall in
    one tag family."""
    community = draw(Sizes.small(), seed=7)
    events, threads, tags = community.events, community.threads, community.tags
    views = events["type"] == VIEW
    family = tags.family[threads.tags[events["subject"][views], 0]]
    user = events["user"][views]
    shares = []
    for person in np.unique(user):
        mine = family[user == person]
        if len(mine) >= 10:
            shares.append(np.bincount(mine).max() / len(mine))
    assert np.mean(shares) > 0.5
