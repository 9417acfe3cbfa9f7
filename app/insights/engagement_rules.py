"""The numbers behind engagement scores, segments, churn risk and personas, in one place.

Score. Each user gets six components, each between 0 and 1:

- recency: 0.5 ** (days since the last activity / half-life); 1 for someone active today,
  0.5 after one half-life of silence, 0 for someone with no activity in the window.
- frequency: the number of active days, each weighted by 0.5 ** (age / half-life).
- contribution: questions, answers and replies written, weighted by `CONTRIBUTION`
  (an answer helps someone, so it counts more than a question; a reply in a discussion
  is usually shorter, so less).
- reception: upvotes and accepts *received* on one's posts (`RECEPTION`); an accept is a
  stronger signal than a vote. Downvotes and self-accepts count for nothing.
- learning: lessons viewed and completed, courses enrolled in and completed (`LEARNING`).
- competing: competitions entered, challenges solved, predictions submitted (`COMPETING`).

Every counted action decays with the same half-life (`HALF_LIFE_DAYS`, 14 days), so a
burst of activity a month ago weighs a quarter of the same burst today. The decayed sums
are unbounded, so each is passed through 1 - exp(-x / scale): `SATURATION[c]` is the
decayed amount that reaches 63 % of the component, so a very busy member cannot drown out
the other components. The score is 100 x the weighted sum of the components (`WEIGHTS`,
which add up to 1): showing up (recency + frequency) is 40 %, what one gives to the forum
(contribution + reception) is 40 %, and learning and competing share the rest, so a member
who only takes courses can still reach a middling score.

Segments (first matching rule wins, in this order):

- new: the account is under `NEW_DAYS` old, whatever it did, so onboarding sees everyone.
- dormant: no activity for more than `DORMANT_DAYS` days (or none at all).
- at-risk: no activity for `AT_RISK_IDLE_DAYS` to `DORMANT_DAYS` days, or a score that fell
  by `AT_RISK_DROP` or more over `AT_RISK_WINDOW_DAYS`, from at least `AT_RISK_MIN_SCORE`
  (below that, a fall is noise, not a warning). At-risk comes before loyal on purpose: a
  loyal member who is slipping away is the one worth writing to.
- loyal: active in at least `LOYAL_WEEKS` of the last `LOYAL_WINDOW_WEEKS` weeks.
- active: everyone else.

Activity is any event the user caused, except the derived ones in `NOT_ACTIVITY` (a badge
arriving by a job is not the person coming back).

Churn risk. A logistic regression on past snapshots taken every `SNAPSHOT_EVERY_DAYS`
days back (week-aligned, so "active weeks" lines up), as long as their 30-day outcome is
known: features at day T, label = no activity in (T, T + `CHURN_HORIZON_DAYS`]. It trains
only on users active in the `CHURN_HORIZON_DAYS` before T, the same population it scores.
With fewer than `MIN_TRAINING_ROWS` rows, or one outcome only, it falls back to the risk
of each segment (`RULE_RISK`). Dormant users already had 30 silent days, the very outcome
the model predicts, so their risk is `RULE_RISK["dormant"]` in both cases.

Personas. KMeans over the six components of users who are not dormant, k chosen by the
silhouette score between `PERSONA_K_MIN` and `PERSONA_K_MAX`.
"""

HALF_LIFE_DAYS = 14.0

# Events older than this are not read: 0.5 ** (330 / 14) is below 1e-7, and the oldest
# churn snapshot still has `CHURN_LOOKBACK_DAYS` of history behind it.
WINDOW_DAYS = 330

COMPONENTS = ("recency", "frequency", "contribution", "reception", "learning", "competing")

WEIGHTS = {
    "recency": 0.15,
    "frequency": 0.25,
    "contribution": 0.25,
    "reception": 0.15,
    "learning": 0.10,
    "competing": 0.10,
}

SATURATION = {
    "frequency": 6.0,  # about two active days a week, kept up
    "contribution": 4.0,
    "reception": 6.0,
    "learning": 4.0,
    "competing": 3.0,
}

CONTRIBUTION = {"ask": 1.0, "answer": 1.5, "reply": 0.5}
RECEPTION = {"vote": 1.0, "accept": 3.0}
LEARNING = {
    "lesson_viewed": 0.2,
    "lesson_completed": 1.0,
    "course_enrolled": 0.5,
    "course_completed": 3.0,
}
COMPETING = {"competition_entered": 1.0, "challenge_solved": 1.0, "prediction_submitted": 0.5}

NOT_ACTIVITY = frozenset(
    {
        "level_up", "privilege_unlocked", "badge_awarded", "bounty_expired",
        "competition_placed", "membership_ended", "serial_votes_reversed", "refund",
        "account_delete",
    }
)

NEW_DAYS = 14
DORMANT_DAYS = 30
AT_RISK_IDLE_DAYS = 14
AT_RISK_DROP = 0.40
AT_RISK_WINDOW_DAYS = 28
AT_RISK_MIN_SCORE = 10.0
LOYAL_WEEKS = 8
LOYAL_WINDOW_WEEKS = 12

SEGMENTS = ("new", "active", "loyal", "at-risk", "dormant")

CHURN_HORIZON_DAYS = 30
SNAPSHOT_EVERY_DAYS = 7
CHURN_SNAPSHOTS = 26  # half a year of weekly snapshots
CHURN_LOOKBACK_DAYS = 84  # the history a snapshot's features read (12 weeks)
HOLDOUT_SHARE = 0.25  # the most recent quarter of snapshots measures the model
MIN_TRAINING_ROWS = 200
MAX_TRAINING_ROWS = 300_000  # a fixed-seed sample beyond this; the fit stays seconds
RULE_RISK = {"new": 0.4, "active": 0.2, "loyal": 0.1, "at-risk": 0.7, "dormant": 1.0}

PERSONA_K_MIN = 3
PERSONA_K_MAX = 8
PERSONA_MIN_USERS = 30
PERSONA_SAMPLE = 5_000  # KMeans fits on this many (six k, a few seconds); everyone is then assigned
PERSONA_N_INIT = 2
SILHOUETTE_SAMPLE = 3_000  # the score is quadratic in this: 3,000 takes a third of a second
RANDOM_STATE = 0
