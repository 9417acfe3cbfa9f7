"""The demo community's text: people, categories, tags, and the pieces posts are built from.

Question and discussion topics live in `questions.py` and `discussions.py`. Topic text
may carry slots written `«name»`; the planner fills every slot of a thread from the
topic's choices, so one topic yields several distinct threads. A key such as
`"pkg|module"` fills linked slots together from values written `"python-dotenv|dotenv"`.
Guillemets never occur in code, so code blocks need no escaping.
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "guildhall-demo"


@dataclass(frozen=True)
class CategorySpec:
    name: str
    slug: str
    description: str
    color: str
    member_only: bool = False


@dataclass(frozen=True)
class QuestionTopic:
    """A question a learner could ask, with answers that would really help."""

    category: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    problem: str
    tried: tuple[str, ...]
    answers: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class DiscussionTopic:
    """An open conversation: an opening post and replies people would write to it."""

    category: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    body: str
    replies: tuple[str, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


CATEGORIES = (
    CategorySpec(
        "Python", "python",
        "The language itself: syntax, the standard library, packaging, testing and tooling.",
        "#3572a5",
    ),
    CategorySpec(
        "Data Science & ML", "data-science-ml",
        "pandas, NumPy, visualisation, statistics, scikit-learn and deep learning.",
        "#7c3aed",
    ),
    CategorySpec(
        "Web Development", "web-development",
        "Flask, Django, APIs, HTML, CSS and JavaScript in the browser and on the server.",
        "#c2410c",
    ),
    CategorySpec(
        "Databases & SQL", "databases-sql",
        "Writing queries, designing schemas, indexes, ORMs and keeping data correct.",
        "#1d4ed8",
    ),
    CategorySpec(
        "DevOps & Cloud", "devops-cloud",
        "git, Docker, CI, Linux, deploying and running things in production.",
        "#0f766e",
    ),
    CategorySpec(
        "Career & Learning", "career-learning",
        "Study habits, portfolios, interviews and the first job in tech.",
        "#b45309",
    ),
    CategorySpec(
        "Show and Tell", "show-and-tell",
        "Share what you built, wrote or shipped, and get friendly feedback.",
        "#15803d",
    ),
    CategorySpec(
        "Members' Lounge", "members-lounge",
        "For members: AMAs with course authors, meetup notes and early previews.",
        "#be185d",
        member_only=True,
    ),
)

TAGS = {
    "python": "The Python language.",
    "python-3": "Questions specific to Python 3 versions.",
    "asyncio": "Coroutines, event loops and async/await.",
    "typing": "Type hints, mypy and pyright.",
    "pytest": "Writing and running tests with pytest.",
    "packaging": "pip, virtual environments, pyproject.toml and publishing.",
    "virtualenv": "Isolated Python environments.",
    "standard-library": "Modules that ship with Python.",
    "debugging": "Finding out why code does not do what you expect.",
    "performance": "Making code faster or lighter.",
    "regex": "Regular expressions.",
    "unicode": "Text encodings and Unicode.",
    "datetime": "Dates, times and time zones.",
    "beginner": "New to programming? Start here.",
    "pandas": "DataFrames and Series.",
    "numpy": "Arrays and vectorised maths.",
    "matplotlib": "Plotting with Matplotlib.",
    "jupyter": "Notebooks and JupyterLab.",
    "scikit-learn": "Classical machine learning in Python.",
    "pytorch": "Deep learning with PyTorch.",
    "machine-learning": "Models, features, training and evaluation.",
    "deep-learning": "Neural networks.",
    "statistics": "Distributions, tests and inference.",
    "data-cleaning": "Turning messy data into tidy data.",
    "visualization": "Charts that tell the truth.",
    "nlp": "Working with text data.",
    "flask": "The Flask web framework.",
    "django": "The Django web framework.",
    "fastapi": "The FastAPI framework.",
    "jinja": "Jinja templates.",
    "rest-api": "Designing and consuming HTTP APIs.",
    "authentication": "Logins, sessions, tokens and passwords.",
    "javascript": "JavaScript in the browser and in Node.",
    "typescript": "JavaScript with types.",
    "react": "The React UI library.",
    "html": "Markup and accessibility.",
    "css": "Layout and styling.",
    "cors": "Cross-origin requests.",
    "sql": "Writing SQL queries.",
    "postgresql": "The PostgreSQL database.",
    "sqlite": "The SQLite database.",
    "mysql": "The MySQL database.",
    "sqlalchemy": "The SQLAlchemy toolkit and ORM.",
    "indexing": "Indexes and query plans.",
    "schema-design": "Tables, keys and normalisation.",
    "window-functions": "OVER (...) and friends.",
    "git": "Version control with git.",
    "github-actions": "CI/CD with GitHub Actions.",
    "docker": "Containers and images.",
    "docker-compose": "Multi-container setups.",
    "linux": "Linux systems and the shell.",
    "bash": "Shell scripting.",
    "nginx": "The nginx web server and reverse proxy.",
    "aws": "Amazon Web Services.",
    "deployment": "Getting code onto servers.",
    "ssh": "Secure shell and keys.",
    "career": "Jobs, roles and growing as an engineer.",
    "interviews": "Preparing for technical interviews.",
    "portfolio": "Showing your work.",
    "learning-path": "What to learn next, and in which order.",
    "side-project": "Things built for fun or learning.",
    "open-source": "Contributing to and maintaining open source.",
    "code-review": "Giving and receiving feedback on code.",
    "meetup": "Community meetups and events.",
}

FIRST_NAMES = (
    "Amara", "Ben", "Carlos", "Chen", "Dana", "Daniel", "Elena", "Emeka", "Fatima", "Felix",
    "Grace", "Hana", "Hugo", "Ines", "Isaac", "Jamal", "Jana", "Jonas", "Kai", "Keiko",
    "Laura", "Leila", "Liam", "Lucia", "Malik", "Maria", "Mateo", "Mei", "Nadia", "Nikhil",
    "Noah", "Olga", "Omar", "Priya", "Rafael", "Rania", "Rohan", "Sara", "Sofia", "Stefan",
    "Tariq", "Tom", "Valentina", "Wei", "Yara", "Yusuf", "Zoe", "Aisha", "Bruno", "Clara",
    "Diego", "Eva", "Farah", "Gabriel", "Ivan", "Julia", "Kwame", "Lena", "Marco", "Nina",
)

LAST_NAMES = (
    "Abara", "Andersen", "Bauer", "Bianchi", "Costa", "Dubois", "Eriksen", "Fernandes",
    "Garcia", "Haddad", "Hoffmann", "Ibrahim", "Ivanova", "Jensen", "Kamara", "Kim",
    "Kowalski", "Lopez", "Martin", "Mendes", "Meyer", "Moreau", "Nakamura", "Novak",
    "Okafor", "Olsen", "Patel", "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva",
    "Singh", "Sato", "Tanaka", "Torres", "Vargas", "Virtanen", "Wagner", "Wang", "Weber",
    "Yilmaz", "Zhang", "Novotny", "Reyes", "Murphy", "Horvat", "Lindqvist", "Mensah",
)

# Roles, contexts and interests that bios are composed from.
BIO_ROLES = (
    "Data analyst", "Backend developer", "Student", "Career changer (ex-teacher)",
    "Junior Python developer", "ML engineer", "Frontend developer learning Python",
    "Lab scientist who automates everything", "DevOps engineer", "Bootcamp graduate",
    "Product manager who codes on weekends", "PhD student in bioinformatics",
    "Self-taught developer", "Analytics engineer", "QA engineer moving into automation",
)
BIO_PLACES = (
    "Lisbon", "Lagos", "Berlin", "Toronto", "Bangalore", "São Paulo", "Melbourne", "Nairobi",
    "Warsaw", "Manila", "Austin", "Leeds", "Osaka", "Mexico City", "Helsinki", "Cairo",
)
BIO_INTERESTS = (
    "pandas", "SQL", "Flask", "Docker", "scikit-learn", "data visualisation", "testing",
    "PostgreSQL", "TypeScript", "web scraping", "NLP", "time series", "Linux", "teaching",
    "open source", "clean code", "home automation", "chess engines", "Kaggle competitions",
)
BIO_LINES = (
    "Currently working through the **«track»** track.",
    "Happy to review code — tag me in a question.",
    "I answer questions here to learn; corrections welcome.",
    "Trying to write one small project a month.",
    "Ask me about spreadsheets I have replaced with scripts.",
    "Learning in public. Be kind, be specific.",
)
BIO_TRACKS = ("Python Foundations", "Data Science", "Web Development", "SQL Essentials", "DevOps")

TIMEZONES = (
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Lisbon", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Africa/Lagos",
    "Africa/Nairobi", "Asia/Kolkata", "Asia/Tokyo", "Asia/Manila", "Australia/Melbourne",
)

# The setup a question's author mentions, by the first of its tags found here.
ENVIRONMENTS = {
    "python": (
        "Python 3.12 on macOS 14.", "Python 3.11 on Windows 11.",
        "Python 3.10 on Ubuntu 22.04.", "Python 3.12 in a venv on Debian 12.",
    ),
    "pandas": ("pandas 2.2, Python 3.11, JupyterLab 4.", "pandas 2.1 in VS Code notebooks."),
    "numpy": ("numpy 1.26 and Python 3.12.", "numpy 2.0 on Google Colab."),
    "scikit-learn": (
        "scikit-learn 1.4 on Google Colab.", "scikit-learn 1.5, Anaconda on Windows 11.",
    ),
    "pytorch": ("PyTorch 2.3 with CUDA 12.1.", "PyTorch 2.2 on a Colab T4."),
    "matplotlib": ("Matplotlib 3.8 in JupyterLab.",),
    "flask": ("Flask 3.0 on Python 3.12.", "Flask 3.1, Flask-WTF 1.2."),
    "javascript": ("Chrome 124, Node 20.", "Firefox 126, plain JavaScript, no framework."),
    "react": ("React 18 with Vite 5.",),
    "css": ("Chrome 124 and Safari 17.",),
    "sql": ("PostgreSQL 16.", "MySQL 8.0.", "SQLite 3.45 through Python's sqlite3."),
    "sqlalchemy": ("SQLAlchemy 2.0 with PostgreSQL 15.",),
    "sqlite": ("SQLite 3.45 through Python's sqlite3.",),
    "docker": ("Docker 25 on Ubuntu 22.04.", "Docker Desktop on macOS."),
    "git": ("git 2.43, repo on GitHub.", "git 2.39 on WSL2 (Ubuntu)."),
    "nginx": ("nginx 1.24 and gunicorn 22 on Ubuntu 22.04.",),
    "linux": ("Ubuntu 22.04 server.", "Debian 12 on a small VPS."),
}

QUESTION_OPENERS = (
    "I'm working through the course project and got stuck here.",
    "Beginner here, so apologies if this is obvious.",
    "This has cost me most of an afternoon.",
    "I searched the forum and Stack Overflow, but none of the answers match my case.",
    "Quick question from this week's exercises.",
    "We hit this at work today and I'd like to understand *why*, not just patch it.",
    "",
    "",
)
QUESTION_CLOSERS = (
    "Thanks in advance!",
    "Any pointers appreciated.",
    "What am I missing?",
    "Is there a cleaner way to do this?",
    "Happy to post more code if that helps.",
    "",
)

# Answers anyone could give to any question: short, sometimes useful, sometimes not.
GENERIC_ANSWERS = (
    "Can you post the full traceback? The last line alone rarely says where it started, "
    "and the frames above it usually point straight at the culprit.",
    "Not a direct answer, but for problems like this I cut the code down to the smallest "
    "script that still fails. Half the time I find the bug while doing it; the other half "
    "I have a perfect example to post.",
    "I ran into the same thing last month. What fixed it for me was restarting from a clean "
    "virtual environment:\n\n```bash\npython -m venv .venv\nsource .venv/bin/activate\n"
    "pip install -r requirements.txt\n```\n\nOld installs hang around longer than you'd think.",
    "Worth reading the official docs page on this — the section on common pitfalls covers "
    "exactly your case, with an example.",
    "+1 to the other answer. One more thing to check: make sure you are running the file "
    "you think you are running. `print(__file__)` at the top has saved me more than once.",
    "Have you tried stepping through it with the debugger? Put `breakpoint()` on the line "
    "before the error and inspect the values — the wrong one usually jumps out.",
)

EDIT_NOTES = (
    "**Edit:** solved — see the accepted answer. Leaving this here for the next person.",
    "**Edit:** added the full error message.",
    "**Edit:** fixed a typo in the code sample; the problem is still there.",
    "**Update:** tested on a clean install as well, same result.",
    "**Edit:** clarified what I expected to happen.",
)
STAFF_EDIT_REASON = "Added a language to the code block so it is highlighted"
AUTHOR_EDIT_REASONS = ("Added details", "Fixed a typo", "Clarified the question", "Update")
ANSWER_EDIT_NOTES = (
    "**Edit:** added a shorter example.",
    "**Edit:** fixed a typo in the code.",
    "**Edit:** as mentioned below, this needs Python 3.8 or newer.",
)
DISCUSSION_EDIT_NOTES = ("**Edit:** fixed a typo.", "**Edit:** reworded the last paragraph.")
ANSWER_LEADS = (
    "Good question — this trips up a lot of people.",
    "I ran into exactly this last week.",
    "Welcome to the forum!",
)

# How people re-ask what has been asked before; used once a topic's own titles run out.
QUESTION_TITLE_FRAMES = (
    "Still stuck: {}",
    "{} — what am I doing wrong?",
    "[Beginner] {}",
    "{} (course project)",
    "Same issue, different setup: {}",
)
DISCUSSION_TITLE_FRAMES = ("{} (round 2)", "{} — revisited", "Again: {}")
