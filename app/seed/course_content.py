"""The demo courses and paths: plain data, a few short real lessons each."""

# (title, level, member_only, tags, summary, [(lesson title, minutes, Markdown body)])


def _code(lang: str, text: str) -> str:
    return f"```{lang}\n{text.strip()}\n```"


COURSES = [
    ("Python basics", "beginner", False, "python", "Values, lists, loops and functions: the Python you use every day.", [
        ("Values and names", 8, "Python names point at values.\n\n" + _code("python", "greeting = 'hello'\ncount = 3\nprint(greeting * count)")),
        ("Lists and loops", 10, "A list holds values in order; `for` walks through it.\n\n" + _code("python", "for n in [1, 2, 3]:\n    print(n * n)")),
        ("Dictionaries", 10, "Look values up by key.\n\n" + _code("python", "ages = {'ada': 36}\nages['alan'] = 41\nprint(ages.get('grace', 'unknown'))")),
        ("Functions", 12, "Name a piece of work and reuse it.\n\n" + _code("python", "def area(w, h=1):\n    return w * h\n\nprint(area(3, 4))")),
        ("Reading files", 10, "`with` closes the file for you.\n\n" + _code("python", "with open('notes.txt') as f:\n    for line in f:\n        print(line.rstrip())")),
    ]),
    ("Data analysis with pandas", "intermediate", True, "pandas python", "Load, clean, group and reshape tables with pandas.", [
        ("DataFrames", 10, "A DataFrame is a table with labelled columns.\n\n" + _code("python", "import pandas as pd\ndf = pd.read_csv('sales.csv')\ndf.head()")),
        ("Selecting rows", 12, "Boolean masks pick rows.\n\n" + _code("python", "big = df[df['amount'] > 100]\nbig[['region', 'amount']]")),
        ("Group by", 15, "Split, apply, combine.\n\n" + _code("python", "df.groupby('region')['amount'].agg(['sum', 'mean'])")),
        ("Missing values", 10, "Decide, column by column, what a gap means.\n\n" + _code("python", "df['amount'] = df['amount'].fillna(0)\ndf.dropna(subset=['region'])")),
        ("Reshaping", 15, "`pivot_table` turns rows into columns.\n\n" + _code("python", "df.pivot_table(index='month', columns='region', values='amount', aggfunc='sum')")),
    ]),
    ("SQL from zero", "beginner", False, "sql", "SELECT, WHERE, JOIN and GROUP BY on a real schema.", [
        ("Your first SELECT", 8, "Ask for columns from a table.\n\n" + _code("sql", "SELECT title, year FROM films ORDER BY year DESC LIMIT 5;")),
        ("Filtering with WHERE", 8, "Keep the rows you want.\n\n" + _code("sql", "SELECT title FROM films WHERE year >= 2000 AND rating > 8;")),
        ("Joins", 15, "Combine tables on a key.\n\n" + _code("sql", "SELECT f.title, d.name\nFROM films f JOIN directors d ON d.id = f.director_id;")),
        ("Grouping", 12, "Aggregate per group; filter groups with HAVING.\n\n" + _code("sql", "SELECT director_id, count(*) AS n\nFROM films GROUP BY director_id HAVING count(*) > 2;")),
    ]),
    ("Web apps with Flask", "intermediate", False, "flask python", "Routes, templates, forms and a database, the Flask way.", [
        ("Hello, Flask", 8, "A route maps a URL to a function.\n\n" + _code("python", "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef home():\n    return 'Hello!'")),
        ("Templates", 10, "Jinja escapes what you render.\n\n" + _code("html", "<h1>Hello, {{ name }}</h1>")),
        ("Forms and CSRF", 15, "Validate input and protect every POST.\n\n" + _code("python", "class NoteForm(FlaskForm):\n    text = StringField(validators=[DataRequired()])")),
        ("The application factory", 12, "Build the app in a function so tests get their own.\n\n" + _code("python", "def create_app(config=None):\n    app = Flask(__name__)\n    app.config.update(config or {})\n    return app")),
        ("Blueprints", 10, "Group routes by feature.\n\n" + _code("python", "bp = Blueprint('notes', __name__)\napp.register_blueprint(bp)")),
    ]),
    ("Git for everyone", "beginner", False, "git", "Commit, branch, merge and undo without fear.", [
        ("Commits", 8, "A commit is a snapshot with a message.\n\n" + _code("bash", "git add notes.md\ngit commit -m 'Add notes'")),
        ("Branches", 10, "A branch is a movable name for a line of work.\n\n" + _code("bash", "git switch -c feature\ngit log --oneline --graph")),
        ("Merging", 12, "Bring work together; resolve conflicts by editing.\n\n" + _code("bash", "git switch main\ngit merge feature")),
        ("Undoing things", 10, "Most mistakes can be undone.\n\n" + _code("bash", "git restore file.txt\ngit revert HEAD")),
    ]),
    ("Docker in practice", "intermediate", True, "docker devops", "Images, containers, volumes and Compose for real projects.", [
        ("Images and containers", 10, "An image is a template; a container is a running copy.\n\n" + _code("bash", "docker run --rm -it python:3.12 python")),
        ("Writing a Dockerfile", 15, "Order layers from least to most often changed.\n\n" + _code("dockerfile", "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"gunicorn\", \"wsgi:app\"]")),
        ("Volumes", 10, "Keep data outside the container.\n\n" + _code("bash", "docker run -v pgdata:/var/lib/postgresql/data postgres:16")),
        ("Compose", 15, "Describe the services of an app in one file.\n\n" + _code("yaml", "services:\n  web:\n    build: .\n    ports: ['8000:8000']\n  db:\n    image: postgres:16")),
    ]),
    ("Introduction to machine learning", "intermediate", True, "machine-learning python", "Train, evaluate and avoid fooling yourself with scikit-learn.", [
        ("What a model learns", 10, "A model maps features to a target, fitted on examples.\n\n" + _code("python", "from sklearn.linear_model import LogisticRegression\nmodel = LogisticRegression().fit(X_train, y_train)")),
        ("Train and test", 12, "Judge a model on data it has not seen.\n\n" + _code("python", "from sklearn.model_selection import train_test_split\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)")),
        ("Metrics", 12, "Accuracy hides a lot when classes are imbalanced.\n\n" + _code("python", "from sklearn.metrics import classification_report\nprint(classification_report(y_test, model.predict(X_test)))")),
        ("Pipelines", 15, "Fit preprocessing on training data only.\n\n" + _code("python", "from sklearn.pipeline import make_pipeline\nfrom sklearn.preprocessing import StandardScaler\npipe = make_pipeline(StandardScaler(), LogisticRegression())")),
        ("Cross-validation", 12, "Average over several splits.\n\n" + _code("python", "from sklearn.model_selection import cross_val_score\ncross_val_score(pipe, X, y, cv=5).mean()")),
    ]),
    ("Statistics for data work", "beginner", False, "statistics", "Averages, spread, sampling and confidence, with Python.", [
        ("Mean and median", 8, "The median resists outliers.\n\n" + _code("python", "import statistics as st\nst.mean([1, 2, 100]), st.median([1, 2, 100])")),
        ("Spread", 10, "Standard deviation says how far values wander.\n\n" + _code("python", "st.stdev([2, 4, 4, 4, 5, 5, 7, 9])")),
        ("Sampling", 12, "A random sample stands in for the whole.\n\n" + _code("python", "import random\nrandom.seed(1)\nrandom.sample(range(1000), 10)")),
        ("Confidence intervals", 15, "A range of plausible values, not a guarantee.\n\n" + _code("python", "m, s, n = 5.1, 1.2, 40\nhalf = 1.96 * s / n ** 0.5\n(m - half, m + half)")),
    ]),
    ("Modern JavaScript", "beginner", False, "javascript", "let, arrow functions, modules and fetch.", [
        ("let and const", 8, "Prefer `const`; use `let` when the value changes.\n\n" + _code("javascript", "const names = ['ada'];\nlet total = 0;")),
        ("Arrow functions", 8, "Short functions that keep `this`.\n\n" + _code("javascript", "const squares = [1, 2, 3].map(n => n * n);")),
        ("Modules", 10, "Split code into files with import and export.\n\n" + _code("javascript", "export function add(a, b) { return a + b; }\nimport { add } from './math.js';")),
        ("Fetching data", 12, "`fetch` returns a promise; `await` it.\n\n" + _code("javascript", "const response = await fetch('/api/notes');\nconst notes = await response.json();")),
    ]),
    ("Testing with pytest", "intermediate", False, "testing pytest python", "Plain asserts, fixtures and parametrised tests.", [
        ("Your first test", 8, "A test is a function whose name starts with `test_`.\n\n" + _code("python", "def test_add():\n    assert 1 + 1 == 2")),
        ("Fixtures", 12, "Share setup by naming it as an argument.\n\n" + _code("python", "import pytest\n\n@pytest.fixture\ndef user():\n    return {'name': 'ada'}\n\ndef test_name(user):\n    assert user['name'] == 'ada'")),
        ("Parametrize", 10, "One test, many cases.\n\n" + _code("python", "@pytest.mark.parametrize('n, sq', [(2, 4), (3, 9)])\ndef test_square(n, sq):\n    assert n * n == sq")),
        ("Testing exceptions", 8, "Check that bad input fails loudly.\n\n" + _code("python", "with pytest.raises(ZeroDivisionError):\n    1 / 0")),
        ("Temporary files", 8, "`tmp_path` gives each test its own folder.\n\n" + _code("python", "def test_write(tmp_path):\n    p = tmp_path / 'x.txt'\n    p.write_text('hi')\n    assert p.read_text() == 'hi'")),
    ]),
    ("Data visualisation", "intermediate", True, "visualisation python", "Charts that tell the truth, with matplotlib.", [
        ("A first plot", 10, "Plot a line, label the axes.\n\n" + _code("python", "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [2, 4, 8])\nplt.xlabel('day'); plt.ylabel('users')")),
        ("Choosing a chart", 10, "Bars compare, lines show change, scatter shows relation.\n\n" + _code("python", "plt.bar(['a', 'b'], [3, 5])")),
        ("Honest axes", 8, "Bars start at zero; say when a scale is logarithmic.\n\n" + _code("python", "plt.ylim(bottom=0)\nplt.yscale('log')")),
        ("Small multiples", 12, "Many small charts beat one crowded one.\n\n" + _code("python", "fig, axes = plt.subplots(2, 2, sharey=True)")),
    ]),
    ("Algorithms and complexity", "advanced", True, "algorithms python", "Big-O, sorting, searching and graphs, with Python.", [
        ("Big-O", 10, "How work grows with input size.\n\n" + _code("python", "def has_duplicates(xs):\n    return len(set(xs)) != len(xs)  # O(n)")),
        ("Binary search", 12, "Halve the search space each step.\n\n" + _code("python", "import bisect\nbisect.bisect_left([1, 3, 5, 7], 5)")),
        ("Sorting", 12, "Python's sort is stable and O(n log n).\n\n" + _code("python", "sorted(people, key=lambda p: (p.age, p.name))")),
        ("Graphs and BFS", 15, "Breadth-first search finds shortest hops.\n\n" + _code("python", "from collections import deque\n\ndef bfs(graph, start):\n    seen, queue = {start}, deque([start])\n    while queue:\n        node = queue.popleft()\n        for nxt in graph[node]:\n            if nxt not in seen:\n                seen.add(nxt)\n                queue.append(nxt)\n    return seen")),
        ("Dynamic programming", 15, "Remember answers to subproblems.\n\n" + _code("python", "from functools import cache\n\n@cache\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)")),
    ]),
]

PATHS = [
    ("Data analyst track", "From your first Python line to charts that persuade.",
     ["python-basics", "sql-from-zero", "statistics-for-data-work", "data-analysis-with-pandas",
      "data-visualisation"]),
    ("Web developer track", "Build, test and ship a web app.",
     ["python-basics", "git-for-everyone", "web-apps-with-flask", "testing-with-pytest",
      "docker-in-practice"]),
]
