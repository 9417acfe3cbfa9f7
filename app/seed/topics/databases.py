"""Questions about SQL, schemas, indexes and ORMs, with the answers that help."""

from app.seed.content import QuestionTopic as Q

QUESTIONS = (
    Q(
        category="databases-sql",
        tags=("sql", "postgresql"),
        titles=(
            'column "«col»" must appear in the GROUP BY clause',
            "GROUP BY error when selecting «col» with an aggregate",
        ),
        slots={"col": ("name", "email", "title", "city")},
        problem="""I want each customer's total spend with their «col»:

```sql
SELECT c.id, c.«col», SUM(o.amount) AS total
FROM customers c
JOIN orders o ON o.customer_id = c.id
GROUP BY c.id;
```

This runs in MySQL and SQLite but PostgreSQL says:

```text
ERROR:  column "c.«col»" must appear in the GROUP BY clause or be used in an aggregate function
```""",
        tried=("Wrapping it in `MAX(c.«col»)` — works, but looks like a hack",),
        answers=(
            """PostgreSQL accepts it when `c.id` is the **primary key** of `customers` (the \
other columns are then functionally dependent). If it's rejected, `id` probably isn't declared \
as the primary key. Otherwise list the column:

```sql
GROUP BY c.id, c.«col»
```

MySQL and SQLite quietly pick *some* value for non-grouped columns, which hides real bugs when \
the column isn't unique per group.""",
            """Another shape that avoids the question: aggregate first, then join:

```sql
SELECT c.id, c.«col», t.total
FROM customers c
JOIN (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id) t
  ON t.customer_id = c.id;
```""",
        ),
    ),
    Q(
        category="databases-sql",
        tags=("sql",),
        titles=(
            "LEFT JOIN behaves like an INNER JOIN when I add a WHERE clause",
            "Why do «things» without «children» disappear from my LEFT JOIN?",
        ),
        slots={"things|children": ("customers|orders", "courses|enrollments", "authors|posts")},
        problem="""I want all «things», including those with no «children» this year:

```sql
SELECT t.name, COUNT(c.id)
FROM «things» t
LEFT JOIN «children» c ON c.parent_id = t.id
WHERE c.created_at >= '2024-01-01'
GROUP BY t.name;
```

«things» with no recent «children» are missing from the result.""",
        tried=("`COALESCE(COUNT(c.id), 0)`",),
        answers=(
            """For rows without a match, `c.created_at` is NULL and `NULL >= '2024-01-01'` is not \
true, so `WHERE` throws them away — turning the join into an inner join. Move the condition \
into the `ON` clause:

```sql
LEFT JOIN «children» c
  ON c.parent_id = t.id AND c.created_at >= '2024-01-01'
```

And keep `COUNT(c.id)`, not `COUNT(*)`, so unmatched rows count as 0.""",
            """Rule I use: conditions on the *optional* side of a LEFT JOIN go in `ON`; conditions \
on the driving table go in `WHERE`.""",
        ),
    ),
    Q(
        category="databases-sql",
        tags=("sql", "indexing", "postgresql"),
        titles=(
            "Query on «table» takes 8 seconds — how do I read EXPLAIN ANALYZE?",
            "Which index should I add for WHERE «col» = ? ORDER BY created_at?",
        ),
        slots={"table": ("events", "orders", "page_views", "messages"), "col": ("user_id", "account_id", "status")},
        problem="""«table» has ~20 million rows and this is slow:

```sql
SELECT * FROM «table»
WHERE «col» = 4182
ORDER BY created_at DESC
LIMIT 20;
```

```text
Limit  (cost=0.56..1893.21 rows=20) (actual time=8120.4..8120.5 rows=20 loops=1)
  ->  Index Scan Backward using «table»_created_at_idx on «table»
        Filter: («col» = 4182)
        Rows Removed by Filter: 18923310
```""",
        tried=("A separate index on `«col»` — the planner doesn't use it",),
        answers=(
            """The plan walks the `created_at` index backwards and throws away 18.9M rows that \
belong to other values. A **composite** index matching both the filter and the sort lets it \
jump straight to the 20 rows:

```sql
CREATE INDEX CONCURRENTLY «table»_«col»_created_idx
    ON «table» («col», created_at DESC);
```

Equality columns first, then the sort column. `CONCURRENTLY` avoids locking writes while it \
builds.""",
            """And run `ANALYZE «table»;` after big loads — stale statistics are the other common \
reason the planner picks the wrong index.""",
        ),
    ),
    Q(
        category="databases-sql",
        tags=("sqlalchemy", "python", "performance"),
        titles=(
            "SQLAlchemy runs one query per row when I loop over «parent».«children»",
            "How do I avoid N+1 queries with SQLAlchemy relationships?",
        ),
        slots={"Model|parent|children": ("Author|author|books", "Order|order|items", "Course|course|lessons")},
        problem="""This page got slow as the data grew:

```python
«parent»s = db.session.scalars(select(«Model»)).all()
for p in «parent»s:
    print(p.name, len(p.«children»))
```

With `echo=True` I see a separate SELECT for each «parent»'s «children».""",
        tried=("`lazy='joined'` on the relationship — fixes this page, slows down others",),
        answers=(
            """Choose the loading strategy per query instead of on the model:

```python
from sqlalchemy.orm import selectinload

stmt = select(«Model»).options(selectinload(«Model».«children»))
```

`selectinload` runs exactly one extra query for all «children», whatever the number of rows. \
Use `joinedload` for many-to-one relationships.""",
            """Set `lazy="raise"` on relationships in development: any accidental lazy load raises \
instead of silently issuing a query, so N+1s show up in tests.""",
        ),
    ),
    Q(
        category="databases-sql",
        tags=("sqlite", "python"),
        titles=(
            "sqlite3.OperationalError: database is locked",
            "SQLite 'database is locked' with a «writer» and a web app",
        ),
        slots={"writer": ("background script", "cron job", "second worker", "Jupyter notebook")},
        problem="""A «writer» inserts rows every few seconds while a small web app reads the same \
SQLite file. Every now and then:

```text
sqlite3.OperationalError: database is locked
```""",
        tried=("Raising `timeout` in `sqlite3.connect` to 30 — rarer, not gone",),
        answers=(
            """Turn on WAL mode; readers then never block the writer and vice versa:

```python
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA busy_timeout=5000")
```

Then keep write transactions short: commit right after writing. A forgotten open transaction \
(very common in notebooks) holds the lock indefinitely.""",
            """SQLite allows one writer at a time. If you really need several concurrent writers, \
that's the point to move to PostgreSQL.""",
        ),
    ),
    Q(
        category="databases-sql",
        tags=("sql", "window-functions"),
        titles=(
            "Running total per «group» in SQL",
            "How do I compute a cumulative sum of «measure» by «group»?",
        ),
        slots={"group": ("customer", "month", "team"), "measure": ("revenue", "points", "sign-ups")},
        problem="""I have daily rows and want the running «measure» per «group»:

```sql
SELECT «group», day, amount
FROM daily_totals
ORDER BY «group», day;
```

My attempt with a self-join is very slow.""",
        tried=("A correlated subquery summing earlier days",),
        answers=(
            """A window function does it in one pass:

```sql
SELECT «group», day, amount,
       SUM(amount) OVER (PARTITION BY «group» ORDER BY day
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total
FROM daily_totals
ORDER BY «group», day;
```

The explicit `ROWS` frame matters when two rows share a day; the default `RANGE` frame would \
give them the same total.""",
            """Works in PostgreSQL, MySQL 8+ and SQLite 3.25+. In pandas it's \
`df.groupby("«group»")["amount"].cumsum()`.""",
        ),
    ),
    Q(
        category="databases-sql",
        tags=("sql", "beginner"),
        titles=(
            "WHERE «col» = NULL returns no rows",
            "Why doesn't «col» != 'x' return the rows where «col» is NULL?",
        ),
        slots={"col": ("deleted_at", "manager_id", "phone", "country")},
        problem="""```sql
SELECT * FROM users WHERE «col» = NULL;
```

returns nothing, although I can see NULLs in the table.""",
        tried=("`WHERE «col» = ''`",),
        answers=(
            """`NULL` means *unknown*, and any comparison with unknown is unknown — never true. \
Use the dedicated operators:

```sql
WHERE «col» IS NULL
WHERE «col» IS NOT NULL
```

The same logic explains your `!=` case: `NULL != 'x'` is unknown, so those rows drop out. \
`WHERE «col» IS DISTINCT FROM 'x'` includes them (PostgreSQL, SQLite).""",
        ),
    ),
)
