"""Questions about the Python language and its tooling, with the answers that help."""

from app.seed.content import QuestionTopic as Q

QUESTIONS = (
    Q(
        category="python",
        tags=("python", "debugging", "beginner"),
        titles=(
            "Why does my default list argument keep growing between calls?",
            "Mutable default argument: «fn»() remembers items from earlier calls",
        ),
        slots={"fn": ("add_item", "append_tag", "collect", "register")},
        problem="""My function is supposed to start with an empty list every time, but each call \
keeps the items from the previous one:

```python
def «fn»(item, items=[]):
    items.append(item)
    return items

print(«fn»("a"))  # ['a']
print(«fn»("b"))  # expected ['b'], got ['a', 'b']
```""",
        tried=(
            "Writing `items=list()` instead of `items=[]` — same behaviour",
            "Returning `items[:]` — the copy is fine but the next call still sees old items",
        ),
        answers=(
            """Default values are evaluated **once**, when the `def` statement runs, not on every \
call. So every call without `items` shares the same list object. The idiom is a `None` sentinel:

```python
def «fn»(item, items=None):
    if items is None:
        items = []
    items.append(item)
    return items
```

`list()` behaves the same as `[]` here because it is still evaluated only once.""",
            """You can see it happening by looking at the function object:

```python
>>> «fn».__defaults__
(['a', 'b'],)
```

Linters catch this too: ruff's rule `B006` flags mutable defaults, worth turning on.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "packaging", "virtualenv"),
        titles=(
            "ModuleNotFoundError for «pkg» even though pip says it is installed",
            "pip install «pkg» succeeds but import «module» fails",
        ),
        slots={"pkg|module": ("requests|requests", "pandas|pandas", "python-dotenv|dotenv", "beautifulsoup4|bs4")},
        problem="""I installed the package and pip confirms it:

```text
$ pip install «pkg»
Requirement already satisfied: «pkg» in /usr/lib/python3/dist-packages
```

but running my script fails:

```text
$ python3 main.py
Traceback (most recent call last):
  File "main.py", line 1, in <module>
    import «module»
ModuleNotFoundError: No module named '«module»'
```""",
        tried=(
            "Reinstalling with `pip install --force-reinstall`",
            "Restarting VS Code",
            "Checking the spelling of the import",
        ),
        answers=(
            """Your `pip` and your `python3` are two different interpreters. Always install with \
the interpreter you run:

```bash
python3 -m pip install «pkg»
python3 -c "import sys; print(sys.executable)"
```

Better still, make a virtual environment per project so there is only one of each:

```bash
python3 -m venv .venv
source .venv/bin/activate
python -m pip install «pkg»
```""",
            """In VS Code, check the interpreter in the status bar (bottom right). If it points \
at a different Python than your terminal, the editor runs your code with it. *Python: Select \
Interpreter* and choose `.venv/bin/python`.""",
            """Note the import name is not always the package name: you install `«pkg»` but \
you `import «module»`. Here that's right, so it's the interpreter mismatch the other answer \
describes.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "unicode", "debugging"),
        titles=(
            "UnicodeDecodeError when reading «file» with open()",
            "'utf-8' codec can't decode byte 0x«byte» while reading a CSV",
        ),
        slots={
            "file": ("customers.csv", "export.csv", "survey_results.csv", "products.txt"),
            "byte": ("e9", "92", "96", "fc"),
        },
        problem="""I'm reading a file exported from Excel:

```python
with open("«file»") as f:
    for line in f:
        print(line.strip())
```

It works for the first few hundred lines and then:

```text
UnicodeDecodeError: 'utf-8' codec can't decode byte 0x«byte» in position 1187: invalid start byte
```""",
        tried=(
            "`encoding='utf-8'` explicitly — same error",
            "`errors='ignore'` — it runs, but names like *José* lose letters",
        ),
        answers=(
            """The file is not UTF-8. Excel on Windows usually writes **cp1252** (a superset of \
Latin-1), where `0x«byte»` is a perfectly good character. Tell `open` the truth:

```python
with open("«file»", encoding="cp1252") as f:
    ...
```

If you control the export, choose *CSV UTF-8* in Excel's Save As dialog and you can drop the \
argument.""",
            """If you don't know the encoding, `charset-normalizer` can guess it:

```python
from charset_normalizer import from_path
print(from_path("«file»").best().encoding)
```

Treat the result as a hint, not a fact — guesses on short files are shaky.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "asyncio", "jupyter"),
        titles=(
            "asyncio.run() cannot be called from a running event loop in Jupyter",
            "RuntimeWarning: coroutine '«coro»' was never awaited",
        ),
        slots={"coro": ("fetch_all", "download", "main", "get_prices")},
        problem="""I wrote a small async downloader:

```python
import asyncio
import httpx

async def «coro»(urls):
    async with httpx.AsyncClient() as client:
        return await asyncio.gather(*(client.get(u) for u in urls))

results = asyncio.run(«coro»(URLS))
```

In a notebook this fails with

```text
RuntimeError: asyncio.run() cannot be called from a running event loop
```

and when I remove `asyncio.run` I just get a coroutine object and a warning that it was never \
awaited.""",
        tried=("`loop.run_until_complete(...)` — same error", "Installing `nest_asyncio`"),
        answers=(
            """Jupyter already runs an event loop, and IPython lets you `await` at the top level \
of a cell. So in the notebook just write:

```python
results = await «coro»(URLS)
```

Keep `asyncio.run(«coro»(URLS))` for when you move the code into a `.py` script.""",
            """Calling an `async def` function only *creates* a coroutine; nothing runs until \
something awaits it. That's what the warning means. `nest_asyncio` works but patches the loop \
globally — I'd avoid it outside quick experiments.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "debugging"),
        titles=(
            "ImportError: cannot import name '«name»' from partially initialized module",
            "How do I fix a circular import between models.py and «other».py?",
        ),
        slots={"name": ("User", "Order", "Invoice", "Course"), "other": ("services", "utils", "schemas")},
        problem="""Two modules import each other:

```python
# models.py
from «other» import validate

class «name»:
    ...

# «other».py
from models import «name»

def validate(obj: «name») -> bool:
    ...
```

```text
ImportError: cannot import name '«name»' from partially initialized module 'models'
(most likely due to a circular import)
```""",
        tried=("Moving the import to the bottom of the file — it works but feels wrong",),
        answers=(
            """Python executes a module top to bottom on first import. While `models` is half \
done it imports `«other»`, which asks `models` for `«name»` — not defined yet.

Fixes, best first:

1. Move the shared piece so dependencies point one way (`«other»` uses `models`, never the \
reverse).
2. If `«other»` only needs `«name»` for type hints, import it only for the type checker:

```python
from __future__ import annotations
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models import «name»
```""",
            """Another option is `import models` instead of `from models import «name»`, and \
refer to `models.«name»` inside the function. The name is looked up when the function runs, by \
which time the module has finished loading.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "beginner"),
        titles=(
            "RuntimeError: dictionary changed size during iteration",
            "How do I delete keys from a dict while looping over it?",
        ),
        slots={"var": ("inventory", "scores", "cache", "settings")},
        problem="""I want to drop every entry whose value is zero:

```python
for key in «var»:
    if «var»[key] == 0:
        del «var»[key]
```

```text
RuntimeError: dictionary changed size during iteration
```""",
        tried=("Using `«var».items()` instead — same error",),
        answers=(
            """Build a new dict instead of mutating the one you're iterating:

```python
«var» = {k: v for k, v in «var».items() if v != 0}
```

If other code holds a reference to the same dict and must see the change, iterate over a \
snapshot of the keys:

```python
for key in list(«var»):
    if «var»[key] == 0:
        del «var»[key]
```""",
            """The comprehension is also faster for large dicts, because deleting in a loop does \
one hash lookup per key twice. Not that it matters below a few hundred thousand entries.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "datetime"),
        titles=(
            "TypeError: can't compare offset-naive and offset-aware datetimes",
            "Comparing a timestamp from the «source» with datetime.now() fails",
        ),
        slots={"source": ("API", "database", "CSV export", "log file")},
        problem="""I get timestamps from the «source» and want to know which are in the past:

```python
from datetime import datetime

created = datetime.fromisoformat("2024-03-10T14:05:00+00:00")
if created < datetime.now():
    print("past")
```

```text
TypeError: can't compare offset-naive and offset-aware datetimes
```""",
        tried=("`.replace(tzinfo=None)` on the parsed value — works, but is it right?",),
        answers=(
            """`datetime.now()` is *naive* (no time zone) while your parsed value is *aware* \
(+00:00). Make both aware, in UTC:

```python
from datetime import UTC, datetime

if created < datetime.now(UTC):
    print("past")
```

Stripping `tzinfo` only works if you know the naive value is also UTC — `datetime.now()` is \
your local time, so it would be off by your UTC offset.""",
            """Rule of thumb that has saved me a lot of pain: store and compare in UTC, convert \
to the user's zone only when displaying. `zoneinfo.ZoneInfo("Europe/Berlin")` for the display \
part.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "pytest"),
        titles=(
            "pytest: fixture '«fixture»' not found",
            "Sharing a pytest fixture between test files",
        ),
        slots={"fixture": ("client", "db_session", "sample_user", "tmp_config")},
        problem="""I defined a fixture in one test file and want to use it in another:

```python
# tests/test_api.py
import pytest

@pytest.fixture
def «fixture»():
    return make_thing()

# tests/test_models.py
def test_saves(«fixture»):
    ...
```

```text
E       fixture '«fixture»' not found
>       available fixtures: cache, capfd, capsys, monkeypatch, tmp_path, ...
```""",
        tried=("Importing the fixture into `test_models.py` — ruff then complains it's unused",),
        answers=(
            """Put shared fixtures in `tests/conftest.py`. pytest discovers `conftest.py` files \
automatically and makes their fixtures available to every test in that directory and below — \
no import needed.

```python
# tests/conftest.py
import pytest

@pytest.fixture
def «fixture»():
    return make_thing()
```""",
            """If `conftest.py` grows large, keep factories in a normal module (for example \
`tests/factories.py`) and keep only the fixtures in conftest. Much easier to navigate.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "performance", "standard-library"),
        titles=(
            "Reading a «size» log file without running out of memory",
            "Python script killed when processing a «size» file",
        ),
        slots={"size": ("4 GB", "12 GB", "30 GB")},
        problem="""My script counts error lines in a big log file and gets killed by the OS:

```python
lines = open("app.log").readlines()
errors = [l for l in lines if "ERROR" in l]
print(len(errors))
```

```text
Killed
```""",
        tried=("Running it on a machine with more RAM — it works there, but slowly",),
        answers=(
            """`readlines()` loads the whole file into a list. Iterate over the file object \
instead — it yields one line at a time — and count with a generator:

```python
with open("app.log", encoding="utf-8", errors="replace") as f:
    errors = sum(1 for line in f if "ERROR" in line)
print(errors)
```

Memory stays flat whatever the file size.""",
            """For a «size» file `grep -c ERROR app.log` will also beat any Python loop, if you \
only need the count. Use Python when you need to parse the lines.""",
        ),
    ),
    Q(
        category="python",
        tags=("python", "regex"),
        titles=(
            "Regex to pull «what» out of text matches too much",
            "Greedy .* in my regex swallows the rest of the line",
        ),
        slots={"what": ("quoted strings", "HTML tags", "values in brackets")},
        problem="""I want every quoted value in a line, but get one huge match:

```python
import re
line = 'name="Ada" role="admin" team="core"'
print(re.findall(r'"(.*)"', line))
# ['Ada" role="admin" team="core']
```""",
        tried=("Adding `^` and `$` anchors — then nothing matches",),
        answers=(
            """`.*` is greedy: it grabs as much as possible, then backtracks only as far as it \
must. Use the lazy form `.*?`, or better, say what is allowed between the quotes:

```python
re.findall(r'"([^"]*)"', line)
# ['Ada', 'admin', 'core']
```

The negated class is both clearer and faster than lazy matching.""",
            """If it's really `key="value"` pairs, grab both:

```python
dict(re.findall(r'(\\w+)="([^"]*)"', line))
# {'name': 'Ada', 'role': 'admin', 'team': 'core'}
```

(And if it's actual HTML, use a parser — regexes and HTML never end well.)""",
        ),
    ),
)
