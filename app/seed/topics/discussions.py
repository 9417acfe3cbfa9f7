"""Open conversations: show and tell, learning, opinions, and the members' lounge."""

from app.seed.content import DiscussionTopic as D

DISCUSSIONS = (
    D(
        category="show-and-tell",
        tags=("side-project", "python"),
        titles=("I built a «thing» with «stack»", "Show and tell: my «thing» («stack»)"),
        slots={
            "thing": ("habit tracker", "expense splitter", "recipe search", "bus-times bot",
                      "plant-watering reminder", "Markdown blog engine"),
            "stack": ("Flask and SQLite", "FastAPI and HTMX", "Django", "a Telegram bot and Python"),
        },
        body="""After finishing the web track I wanted something I'd actually use, so I built a \
«thing» with «stack».

What it does:

- signs you in with a magic link
- stores everything in one SQLite file
- has a tiny JSON API I call from a shortcut on my phone

The part I'm proudest of is the test suite — about 40 tests that run in under two seconds:

```python
def test_shared_expense_is_split_evenly(client, make_group):
    group = make_group(members=3)
    client.post(f"/groups/{group.id}/expenses", data={"amount": "30.00"})
    assert [m.balance for m in group.members] == [20, -10, -10]
```

Feedback very welcome, especially on the data model.""",
        replies=(
            "This is great — and a real test suite on a side project! What did you use for the "
            "magic links, itsdangerous?",
            "Love that you built something you use yourself. That's the project that survives "
            "past the first month.",
            "One suggestion on the data model: store money as integer cents, not floats. "
            "`0.1 + 0.2` will bite you eventually.",
            "How are you deploying it? I've been looking for a cheap way to host small Flask "
            "apps.",
            "Nice! I built something similar and ended up adding CSV export in week two because "
            "everyone asked for it.",
            "The magic-link idea is clever for a personal app — no passwords to forget.",
        ),
    ),
    D(
        category="show-and-tell",
        tags=("open-source", "career"),
        titles=("My first open-source pull request got merged!", "First PR to «project» merged"),
        slots={"project": ("pandas", "a Flask extension", "the Django docs", "a CLI tool I use daily")},
        body="""Small one, but I'm thrilled: my first pull request to «project» was merged today. \
It fixes a confusing error message when a config file is missing.

What helped:

1. I picked an issue labelled *good first issue* and asked in the thread before starting.
2. I read CONTRIBUTING.md twice and ran the test suite locally first.
3. The maintainer asked for two changes; I made them the same day.

If you've been thinking about contributing: do it, maintainers are kinder than you fear.""",
        replies=(
            "Congratulations! Error messages are underrated contributions — every future user "
            "benefits.",
            "Asking before starting is such good advice. Saves everyone from duplicate PRs.",
            "This is motivating. Which issue was it? I'd love to see the diff.",
            "Well done! The second PR is easier, and the third one you'll be reviewing others.",
            "I'm saving this post for the next time I talk myself out of contributing.",
        ),
    ),
    D(
        category="show-and-tell",
        tags=("pandas", "visualization", "portfolio"),
        titles=(
            "Capstone project: analysing «dataset»",
            "Finished the data science track — my capstone on «dataset»",
        ),
        slots={"dataset": ("ten years of city bike trips", "our library's loan records",
                            "public air-quality data", "my own running logs")},
        body="""My capstone for the data science track looks at «dataset». Headline findings:

- usage peaks are weather-driven far more than I expected
- a simple gradient boosting model beats my hand-made rules by a wide margin
- the messiest part was timestamps (three formats, two time zones)

The notebook is split into *load → clean → explore → model → conclusions*, and every chart \
has a sentence saying what it shows. Comments on the storytelling most welcome.""",
        replies=(
            "A sentence per chart is such a good habit. So many portfolios are just walls of "
            "plots.",
            "How did you validate the model — random split or by time? With seasonal data the "
            "difference can be huge.",
            "The timestamp cleaning section alone would make a great blog post.",
            "Really clear structure. I'd put the conclusions at the top for recruiters who only "
            "read the first screen.",
            "Did you try a plain linear baseline? It's useful to show how much the boosting "
            "model actually adds.",
        ),
    ),
    D(
        category="career-learning",
        tags=("learning-path", "career"),
        titles=(
            "How do you keep learning after the course ends?",
            "What does your weekly study routine look like?",
        ),
        body="""I finished my track last month and my momentum dropped off a cliff. No more \
deadlines, no more exercises.

For those who kept going: what's your routine? Projects, reading, challenges, study buddies?""",
        replies=(
            "Two fixed evenings a week, same time, phone in another room. Boring, but it works.",
            "I answer one question here every day. Explaining something is the fastest way to "
            "find out you don't really understand it.",
            "A project with a real user, even if the user is my mum. Deadlines appear by "
            "themselves.",
            "I keep a learning log: one paragraph per session. Looking back after a month is "
            "very motivating.",
            "Study buddy from this forum — we do a video call every Sunday and review each "
            "other's code.",
            "Advent of Code style puzzles for the short sessions, a bigger project for weekends.",
        ),
    ),
    D(
        category="career-learning",
        tags=("career",),
        titles=(
            "Imposter syndrome in my first «role» job",
            "Three months into my first «role» job and I feel lost",
        ),
        slots={"role": ("developer", "data analyst", "DevOps", "QA automation")},
        body="""I started my first «role» job three months ago after switching careers. My \
colleagues seem to know everything, and I spend hours on things they solve in minutes.

Did you feel like this? When did it get better?""",
        replies=(
            "Everyone feels like this. Your colleagues also spent hours on those things — a few "
            "years ago.",
            "Keep a 'done' list. After three months you'll be surprised how long it is.",
            "Ask questions early. Seniors would much rather spend five minutes unblocking you "
            "than have you stuck for a day.",
            "It got better for me around month six, when I first explained something to a newer "
            "colleague.",
            "Remember they hired you knowing you're junior. Learning *is* the job right now.",
        ),
    ),
    D(
        category="python",
        tags=("python", "standard-library"),
        titles=(
            "Underrated Python standard library modules?",
            "Which stdlib module do you wish you'd found sooner?",
        ),
        body="""Mine is `pathlib` — I used `os.path.join` for years before someone showed me:

```python
from pathlib import Path
for report in Path("reports").glob("*.csv"):
    print(report.stem, report.stat().st_size)
```

What's yours?""",
        replies=(
            "`collections.Counter`. Half my old loops were reimplementing it.",
            "`itertools.batched` (3.12) — no more hand-written chunking helpers.",
            "`functools.cache`. One decorator and my recursive solution went from minutes to "
            "milliseconds.",
            "`dataclasses`, then `dataclasses.replace` for immutable updates.",
            "`textwrap.dedent` for multi-line strings in tests. Small but lovely.",
            "`zoneinfo`! No more third-party time zone package.",
            "`argparse` is not glamorous, but every script I write ends up needing it.",
        ),
    ),
    D(
        category="data-science-ml",
        tags=("pandas", "performance"),
        titles=("pandas vs polars: has anyone switched?", "Is polars worth learning for «use»?"),
        slots={"use": ("ETL jobs", "notebook analysis", "large CSVs", "a data team of three")},
        body="""Our pandas code for «use» is getting slow and colleagues keep mentioning polars. For \
those who tried it: was it worth the switch, or just a nicer API?""",
        replies=(
            "For big group-bys and joins polars was 5–10x faster for us. The lazy API is the "
            "real win.",
            "We switched new pipelines only. Rewriting working pandas code wasn't worth it.",
            "The expression API took a week to click, then I found it clearer than pandas.",
            "Watch out for libraries that expect pandas — `.to_pandas()` at the edges works "
            "fine though.",
            "Try DuckDB as well. If you think in SQL, it might be all you need.",
        ),
    ),
    D(
        category="web-development",
        tags=("flask", "django", "fastapi"),
        titles=(
            "Server-rendered pages or a SPA for a «project»?",
            "HTMX vs React for a «project»",
        ),
        slots={"project": ("course project", "small internal tool", "community site", "portfolio app")},
        body="""I'm planning a «project». Tutorials push me towards a React frontend + JSON \
API, but I keep reading that server-rendered HTML (maybe with HTMX) is enough for most apps.

What would you choose and why?""",
        replies=(
            "Server-rendered until it hurts. Most 'app-like' interactions are a form and a list.",
            "If you want a frontend job, building the React version teaches you what they'll "
            "ask about.",
            "HTMX for this. One codebase, one deploy, no API versioning.",
            "Whatever you pick, make the pages work without JavaScript first — you get "
            "accessibility and resilience for free.",
            "I did both for the same app once. The server-rendered version was a third of the "
            "code.",
        ),
    ),
    D(
        category="devops-cloud",
        tags=("docker", "docker-compose"),
        titles=(
            "Do you use Docker for local development?",
            "Docker Compose or a plain virtualenv for local dev?",
        ),
        body="""I go back and forth: Compose is great for Postgres and Redis, but running the \
app itself in a container makes debugging and reloading clunky.

What's your setup?""",
        replies=(
            "Services (Postgres, Redis) in Compose, the app itself in a venv. Best of both.",
            "Everything in Compose with a bind mount and `--reload`. Works fine once set up.",
            "Dev containers in VS Code changed my mind — the debugger just works.",
            "Plain venv + SQLite for as long as the project allows. Zero moving parts.",
        ),
    ),
    D(
        category="members-lounge",
        tags=("learning-path",),
        titles=("Member AMA: ask the «who» anything", "AMA this Thursday with the «who»"),
        slots={"who": ("data science course authors", "web track mentors", "SQL course team")},
        body="""Members, the «who» will be here on Thursday from 17:00 UTC to answer your \
questions about the courses, careers and what's coming next.

Post your questions below in advance and upvote the ones you want answered first.""",
        replies=(
            "How do you decide what goes into a course and what gets cut?",
            "Will there be a follow-up course on deploying ML models?",
            "What would you tell someone switching careers at 40?",
            "Any plans for more exercises with real, messy datasets?",
            "How much SQL does a data analyst really need on day one?",
            "Thanks for doing this! The last AMA was really helpful.",
        ),
    ),
    D(
        category="members-lounge",
        tags=("meetup",),
        titles=("Notes from the «city» member meetup", "«city» meetup: slides and notes"),
        slots={"city": ("Berlin", "Lisbon", "online", "Lagos", "Toronto")},
        body="""Thanks to everyone who came to the «city» meetup! Quick summary:

- **Lightning talks:** testing Flask apps, cleaning survey data, a first Kaggle medal
- **Pairing session:** 6 pairs, mostly SQL window functions
- **Next time:** a mini hackathon on the public transport dataset

Slides are in the members' resources area. Who wants to host the next one?""",
        replies=(
            "Great evening, thanks for organising! The testing talk was exactly what I needed.",
            "I'd be happy to co-host the next one.",
            "Could someone share the window-functions exercises from the pairing session?",
            "Sad I missed it — count me in for the hackathon.",
        ),
    ),
    D(
        category="members-lounge",
        tags=("learning-path",),
        titles=("Which course should we build next?", "Vote: the next members-only course"),
        body="""We're planning the next members-only course and want your input. Candidates:

1. Data engineering with dbt and DuckDB
2. Testing in Python, from unit tests to property-based testing
3. Deploying web apps: from a VPS to managed containers

Reply with your pick and *why* — the why helps us shape the content.""",
        replies=(
            "Testing, please! It's the thing every job asks about and no course covers properly.",
            "Deploying web apps. I can build things but getting them online is still scary.",
            "dbt + DuckDB — analytics engineering jobs are everywhere right now.",
            "Testing, with a section on testing data pipelines.",
            "Deployment, but please include costs and how to keep them low.",
        ),
    ),
    D(
        category="career-learning",
        tags=("portfolio", "code-review"),
        titles=(
            "Portfolio review thread: post your «what» for feedback",
            "Feedback wanted on my «what»",
        ),
        slots={"what": ("GitHub profile", "data portfolio", "personal site", "CV", "README")},
        body="""I'm applying for junior roles next month and would love honest feedback on my \
«what». A few things I'm unsure about:

- is it clear what I can do within ten seconds of looking?
- which project should go first?
- is anything there hurting more than helping?

Happy to return the favour — reply with yours too.""",
        replies=(
            "Lead with the project that's closest to the jobs you're applying for, even if "
            "it's not your favourite.",
            "Every project needs one sentence on *what problem it solves* before the tech "
            "stack.",
            "Screenshots! Recruiters won't clone a repo, but they will look at a picture.",
            "I'd cut the tutorial projects. Two original ones beat six follow-alongs.",
            "Pin your best repos and write a short profile README — it's the first thing "
            "people see.",
            "Looks solid. Add a live demo link where you can; it removes all friction.",
        ),
    ),
    D(
        category="python",
        tags=("python", "typing"),
        titles=("Type hints in «kind»: worth it?", "Do you bother with type hints in «kind»?"),
        slots={"kind": ("small scripts", "notebooks", "tests", "one-off data jobs")},
        body="""In application code I find type hints great, but in «kind» they feel like \
ceremony. Where do you draw the line?""",
        replies=(
            "Function signatures always, local variables never. That's 90% of the value.",
            "I skip them in notebooks but add them the moment code moves into a module.",
            "Even in small scripts, a `TypedDict` for the JSON I'm parsing has caught bugs.",
            "In tests: no. The test reads as the documentation already.",
            "Hints are cheap to write and editors use them for completion. I just add them.",
        ),
    ),
    D(
        category="data-science-ml",
        tags=("statistics", "data-cleaning"),
        titles=("Favourite dataset for practising «skill»?", "Good public datasets to learn «skill»"),
        slots={"skill": ("SQL", "visualisation", "time series", "NLP", "data cleaning")},
        body="""I'm tired of Titanic and Iris. Which public datasets do you like for practising \
«skill», ideally ones that are a bit messy and realistic?""",
        replies=(
            "City open-data portals: bike shares, 311 requests, restaurant inspections. "
            "Wonderfully messy.",
            "Your own data! Export your bank statements, phone usage or running logs.",
            "Stack Exchange data dumps are great for SQL — real schema, real scale.",
            "Weather station data for time series: gaps, outliers, sensor resets, the lot.",
            "Government spending data. Inconsistent category names everywhere.",
        ),
    ),
    D(
        category="devops-cloud",
        tags=("deployment", "github-actions"),
        titles=("How do you manage secrets in «setting»?", "Secrets management for «setting»"),
        slots={"setting": ("side projects", "a small team", "CI pipelines", "Docker Compose setups")},
        body="""Right now my API keys live in a `.env` file I copy around by hand. What do \
people use for «setting» that isn't overkill?""",
        replies=(
            "`.env` locally (git-ignored!), the platform's secret store in production. Simple "
            "and good enough.",
            "For a team, a shared password manager with a vault per project works surprisingly "
            "well.",
            "Whatever you choose, add a pre-commit hook that scans for keys. Saved me once.",
            "sops + age if you want secrets in the repo, encrypted.",
            "Rotate anything that has ever been in a chat message. Assume it leaked.",
        ),
    ),
    D(
        category="show-and-tell",
        tags=("side-project", "learning-path"),
        titles=("I wrote a blog post on «subject»", "New write-up: «subject»"),
        slots={"subject": ("how SQL indexes actually work", "testing Flask apps with pytest",
                            "cleaning survey data with pandas", "my first month with Docker")},
        body="""Writing things down is how I learn, so I turned my notes into a post on \
«subject». It's aimed at people who finished the foundations track.

Corrections very welcome — I'd rather fix mistakes than spread them.""",
        replies=(
            "Really clear, thank you. The diagrams help a lot.",
            "Small correction in the second section, but otherwise spot on. Nice work.",
            "Sharing this with my study group.",
            "More posts like this please! Writing for beginners is a skill in itself.",
            "The worked example made it click for me.",
        ),
    ),
)

GENERIC_REPLIES = (
    "Thanks for sharing this!",
    "Bookmarked — really useful.",
    "Great thread. Following along.",
    "This matches my experience exactly.",
    "Interesting, I hadn't thought about it that way.",
    "Agree with everything above.",
)
