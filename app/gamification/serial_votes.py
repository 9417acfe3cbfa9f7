"""Serial voting: one voter propping up (or pulling down) one author. Pure: plain rows in,
findings out, so the rules are tested and tuned without a database.

Two patterns, after Stack Overflow's serial-voting script:

- a burst: more than BURST_LIMIT votes from one voter on one author's posts inside any
  BURST_WINDOW (a sliding window, so 11 votes spread over 23 hours count);
- concentration: a voter with at least MIN_VOTES recent votes, more than half of them on
  one author's posts.

Up- and downvotes both count: serial downvoting is the same abuse. A pair caught by both
rules is one finding holding the votes of both.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

BURST_LIMIT = 10
BURST_WINDOW = timedelta(hours=24)
MIN_VOTES = 10
CONCENTRATION = 0.5  # a share strictly above this is "most"


@dataclass(frozen=True)
class VoteRow:
    vote_id: int
    voter_id: int
    author_id: int
    post_id: int
    value: int
    at: datetime


@dataclass(frozen=True)
class Finding:
    voter_id: int
    author_id: int
    rule: str  # "burst" when a burst was seen (the stronger signal), else "concentrated"
    rules: tuple[str, ...]
    votes: tuple[VoteRow, ...]  # the pair's flagged votes, oldest first
    max_in_window: int  # the most votes the pair had inside one BURST_WINDOW
    share: tuple[int, int]  # (votes on this author, all the voter's votes) in the rows given

    @property
    def window_start(self) -> datetime:
        return self.votes[0].at

    @property
    def window_end(self) -> datetime:
        """The last flagged vote's time: stable across reruns over the same votes, so it
        can key the stored finding."""
        return self.votes[-1].at


def find_serial_votes(rows: Iterable[VoteRow]) -> list[Finding]:
    """Findings for every voter/author pair matching either rule, ordered by voter, author."""
    by_pair: dict[tuple[int, int], list[VoteRow]] = defaultdict(list)
    per_voter: dict[int, int] = defaultdict(int)
    for row in rows:
        if row.voter_id == row.author_id:
            continue  # self-votes earn nothing and are refused anyway
        by_pair[(row.voter_id, row.author_id)].append(row)
        per_voter[row.voter_id] += 1

    findings = []
    for (voter_id, author_id), votes in sorted(by_pair.items()):
        votes.sort(key=lambda v: (v.at, v.vote_id))
        burst, most = burst_votes(votes)
        total = per_voter[voter_id]
        concentrated = total >= MIN_VOTES and len(votes) > CONCENTRATION * total
        rules = (("burst",) if burst else ()) + (("concentrated",) if concentrated else ())
        if not rules:
            continue
        flagged = votes if concentrated else burst
        findings.append(
            Finding(
                voter_id=voter_id,
                author_id=author_id,
                rule=rules[0],
                rules=rules,
                votes=tuple(flagged),
                max_in_window=most,
                share=(len(votes), total),
            )
        )
    return findings


def burst_votes(votes: list[VoteRow]) -> tuple[list[VoteRow], int]:
    """The votes (sorted by time) lying in some BURST_WINDOW that holds more than
    BURST_LIMIT of them, and the most votes any one window held."""
    flagged: set[int] = set()
    most = 0
    start = 0
    for end, vote in enumerate(votes):
        while vote.at - votes[start].at >= BURST_WINDOW:
            start += 1
        count = end - start + 1
        most = max(most, count)
        if count > BURST_LIMIT:
            flagged.update(range(start, end + 1))
    return [votes[i] for i in sorted(flagged)], most
