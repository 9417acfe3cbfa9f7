"""The words of the demo competitions: settings, challenge statements, flags and hints.

Every flag here is checked by the seeding itself (a right answer that the service calls
wrong stops the run), so a statement edited without its answer cannot slip through.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoChallenge:
    """One challenge: `ease` weighs how often entrants pick it (10 is the warm-up), and
    `wrong` lists the answers people really get wrong first."""

    key: str
    title: str
    category: str
    statement: str
    answer_mode: str
    answer: str  # as the organiser types it (a pattern for "regex")
    right: str  # what a solver types
    wrong: tuple[str, ...]
    ease: int
    value: int = 100
    dynamic: tuple[int, int, int] | None = None  # (initial, minimum, decay)
    first_blood: str = ""
    requires: tuple[str, ...] = ()
    hints: tuple[tuple[str, int], ...] = ()  # (text, cost)


CHALLENGE_SET = {
    "title": "Data Detective: Round 4",
    "summary": "Eight short puzzles in SQL, Python and statistics: read the code, find the "
               "answer, beat the clock.",
    "description": (
        "## How it works\n\n"
        "Each challenge shows a query, a snippet or a small table. Work out the answer "
        "(run the code if you like: everything here runs on SQLite and Python 3.12) and "
        "type it in.\n\n"
        "- Some challenges are worth less as more people solve them.\n"
        "- The first solvers of a few challenges earn a **first blood** bonus.\n"
        "- Hints with a price take points off your competition score, not your site points."
    ),
    "rules": (
        "1. Solve on your own: no sharing answers until the round ends.\n"
        "2. Ten attempts per challenge every ten minutes.\n"
        "3. Ties go to whoever reached the score first."
    ),
}

PREDICTION = {
    "title": "Predict who renews",
    "summary": "Which members of a subscription service renew next month? Rank 2,000 "
               "customers by their chance of renewing.",
    "description": (
        "## The task\n\n"
        "For every customer id in the test set, predict the probability that they renew "
        "(`1`) rather than leave (`0`). Submissions are scored with **ROC AUC**, so only "
        "the order of your probabilities matters.\n\n"
        "## Submission format\n\n"
        "```text\nid,target\ncust-00001,0.82\ncust-00002,0.15\n...\n```\n\n"
        "30% of the rows score the public leaderboard; the rest decide the final standing."
    ),
    "rules": (
        "1. Five submissions a day (UTC).\n"
        "2. Choose up to two final submissions; without a choice your two best public "
        "ones count.\n"
        "3. External data is allowed if it is public and named in the forum."
    ),
}

PAST_PREDICTION = {
    "title": "Estimate delivery times",
    "summary": "How many minutes until the courier knocks? Predict the delivery time of "
               "1,500 orders from a city food-delivery service.",
    "description": (
        "## The task\n\n"
        "Predict the delivery time in minutes for each order id. Scored with **RMSE**: "
        "lower is better, and being far off on a few orders hurts.\n\n"
        "```text\nid,target\nord-00001,31.5\nord-00002,18.0\n...\n```"
    ),
    "rules": (
        "1. Five submissions a day (UTC).\n"
        "2. Choose up to two final submissions.\n"
        "3. Winners share their approach in Show and Tell."
    ),
}

_ORDERS = """The `orders` table:

| id | customer | amount | status   |
|---:|----------|-------:|----------|
| 1  | nadia    | 120.00 | paid     |
| 2  | tomas    | 300.00 | refunded |
| 3  | nadia    |  80.00 | paid     |
| 4  | priya    | 150.00 | paid     |
| 5  | tomas    |  90.00 | paid     |
| 6  | priya    |  40.00 | pending  |
"""

CHALLENGES = (
    DemoChallenge(
        key="spender", title="The biggest spender", category="SQL", ease=10,
        statement=_ORDERS + """
```sql
SELECT customer, SUM(amount) AS total
FROM orders
WHERE status = 'paid'
GROUP BY customer
ORDER BY total DESC
LIMIT 1;
```

Which customer does the query return?""",
        answer_mode="case_insensitive", answer="nadia", right="Nadia",
        wrong=("tomas", "priya"), first_blood="30, 20, 10"),
    DemoChallenge(
        key="nulls", title="Counting what is not there", category="SQL", ease=6, value=150,
        statement="""```sql
CREATE TABLE signups (email TEXT, referrer TEXT);
INSERT INTO signups VALUES
  ('a@example.com', 'ads'),  ('b@example.com', NULL),
  ('c@example.com', 'blog'), ('d@example.com', 'ads'),
  ('e@example.com', NULL),   ('f@example.com', 'friend');

SELECT COUNT(*), COUNT(referrer), COUNT(DISTINCT referrer) FROM signups;
```

Give the three numbers the query returns, separated by commas (like `1, 2, 3`).""",
        answer_mode="regex", answer=r"6\s*,\s*4\s*,\s*3", right="6, 4, 3",
        wrong=("6, 6, 4", "6, 4, 4", "4, 4, 3")),
    DemoChallenge(
        key="rolling", title="A rolling window", category="SQL", ease=3,
        dynamic=(300, 100, 15), requires=("spender",),
        statement="""Daily sales: day 1 to day 5 sold 10, 40, 25, 5 and 30.

```sql
SELECT day, amount,
       SUM(amount) OVER (ORDER BY day
                         ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS rolling
FROM sales
ORDER BY day;
```

What is `rolling` on day 5?""",
        answer_mode="exact", answer="60", right="60", wrong=("110", "35"),
        hints=(("`ROWS BETWEEN 2 PRECEDING AND CURRENT ROW` is three rows: the day itself "
                "and the two before it.", 0),)),
    DemoChallenge(
        key="default", title="The list that remembers", category="Python", ease=9,
        first_blood="20, 10",
        statement="""```python
def add_tag(tag, tags=[]):
    tags.append(tag)
    return tags

add_tag("sql")
add_tag("python")
print(len(add_tag("stats")))
```

What does it print?""",
        answer_mode="exact", answer="3", right="3", wrong=("1",)),
    DemoChallenge(
        key="stable", title="Equal ages", category="Python", ease=6, value=150,
        statement="""```python
people = [("Ana", 31), ("Ben", 25), ("Cleo", 31), ("Dev", 25), ("Eli", 28)]
people.sort(key=lambda person: person[1], reverse=True)
print(people[1][0])
```

Whose name is printed?""",
        answer_mode="case_insensitive", answer="Cleo", right="cleo", wrong=("Ana", "Eli")),
    DemoChallenge(
        key="keys", title="One key or four?", category="Python", ease=3,
        dynamic=(250, 80, 12), first_blood="25, 15, 5",
        statement="""```python
counts = {True: "yes", 1: "one", 1.0: "float", "1": "text"}
print(len(counts), counts[True])
```

Type exactly what it prints.""",
        answer_mode="exact", answer="2 float", right="2 float",
        wrong=("4 yes", "2 yes", "3 float"),
        hints=(("Keys that compare equal and hash alike are the same key: "
                "`True == 1 == 1.0`. The first key stays, the last value wins.", 40),)),
    DemoChallenge(
        key="median", title="The typical salary", category="Statistics", ease=8,
        statement="""A start-up's report says the typical salary is 102k. The salaries, in
thousands:

```python
salaries = [42, 38, 51, 47, 390, 45]  # the last one is the founder's
```

What is the **median** salary, in thousands? Give a whole number.""",
        answer_mode="exact", answer="46", right="46", wrong=("102", "45", "47")),
    DemoChallenge(
        key="simpson", title="Two treatments", category="Statistics", ease=2,
        dynamic=(400, 150, 10), requires=("median",),
        statement="""Success rates of two treatments for kidney stones:

| stones | treatment A | treatment B |
|--------|------------:|------------:|
| small  | 81 / 87     | 234 / 270   |
| large  | 192 / 263   | 55 / 80     |

Which treatment has the higher success rate **within each stone size**, and which has
the higher rate **overall**? Answer with two letters, like `A B`.""",
        answer_mode="case_insensitive", answer="A B", right="a b",
        wrong=("B B", "A A", "B A"),
        hints=(("Work out each cell as a percentage before adding anything up.", 0),
               ("Small stones: A 93%, B 87%. Large: A 73%, B 69%. Now add the rows of "
                "each column together.", 60))),
)
