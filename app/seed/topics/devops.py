"""Questions about git, Docker, CI, Linux and careers, with the answers that help."""

from app.seed.content import QuestionTopic as Q

QUESTIONS = (
    Q(
        category="devops-cloud",
        tags=("docker",),
        titles=(
            "Docker container exits immediately after «cmd»",
            "docker run my «app» image and the container stops with code 0",
        ),
        slots={"cmd": ("docker run", "docker compose up"), "app": ("Flask", "FastAPI", "worker")},
        problem="""```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "setup_db.py"]
```

```text
$ docker ps -a
CONTAINER ID   IMAGE     COMMAND                STATUS
3f2a9c1d4e5b   myapp     "python setup_db.py"   Exited (0) 2 seconds ago
```

I expected my «app» to keep running.""",
        tried=("`docker run -it` — same", "Adding `EXPOSE 8000`"),
        answers=(
            """A container lives exactly as long as its main process. `setup_db.py` finishes, so \
the container exits — successfully (code 0). `CMD` must start the long-running server:

```dockerfile
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
```

Run one-off setup separately (`docker compose run web python setup_db.py`) or in an entrypoint \
script that ends with `exec gunicorn ...`.""",
            """`EXPOSE` is only documentation; it doesn't start or publish anything. You still need \
`-p 8000:8000` on `docker run`.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("docker", "docker-compose", "postgresql"),
        titles=(
            "Connection refused to localhost:«port» from inside a Docker container",
            "Docker Compose: my app can't reach the «service» container",
        ),
        slots={"port|service": ("5432|db", "6379|redis", "5432|postgres", "27017|mongo")},
        problem="""```yaml
services:
  «service»:
    image: postgres:16
  web:
    build: .
    environment:
      DATABASE_URL: postgresql://app:secret@localhost:«port»/app
```

```text
connection to server at "localhost" (127.0.0.1), port «port» failed: Connection refused
```

It works when I run the app outside Docker.""",
        tried=("Publishing the port with `ports: ['«port»:«port»']`",),
        answers=(
            """Inside a container, `localhost` is **that container**, not your machine or the \
other services. Compose puts services on a network where each is reachable by its service \
name:

```yaml
DATABASE_URL: postgresql://app:secret@«service»:«port»/app
```

Publishing ports is only needed for access from the host.""",
            """Next error you'll probably hit: the app starts before the database accepts \
connections. Add a healthcheck and `depends_on: {«service»: {condition: service_healthy}}`.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("git",),
        titles=(
            "How do I undo my last git commit that I already pushed?",
            "Committed «mistake» to main and pushed — how do I undo it?",
        ),
        slots={"mistake": ("a .env file with secrets", "the wrong file", "half-finished work", "a 200 MB dataset")},
        problem="""I committed «mistake» and pushed to `main`:

```text
$ git log --oneline -3
a1b2c3d (HEAD -> main, origin/main) WIP
9f8e7d6 Add export endpoint
5c4b3a2 Fix typo in README
```

Others pull from this branch.""",
        tried=("`git reset --hard HEAD~1` — then push is rejected",),
        answers=(
            """On a shared branch, don't rewrite history. Make a new commit that undoes it:

```bash
git revert a1b2c3d
git push
```

`reset` + force-push would break everyone who already pulled.

If the commit contained **secrets**, reverting is not enough: they are in the history. Rotate \
the keys first — assume they are compromised.""",
            """If nobody else has pulled yet (check with your team!):

```bash
git reset --soft HEAD~1      # keep the changes staged
git push --force-with-lease
```

`--force-with-lease` refuses if someone pushed in the meantime, unlike plain `--force`.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("git",),
        titles=(
            "You are in 'detached HEAD' state — did I lose my commits?",
            "git checkout of a «ref» put me in detached HEAD",
        ),
        slots={"ref": ("tag", "commit hash", "remote branch")},
        problem="""I checked out a «ref» to look at old code, made two commits, then switched back:

```text
$ git switch main
Warning: you are leaving 2 commits behind, not connected to
any of your branches:

  7d1e2f0 Try new parser
  3c9b8a1 Fix date handling
```

Are those commits gone?""",
        tried=(),
        answers=(
            """Not gone — just not on any branch. Git even printed their hashes. Put a branch on \
them:

```bash
git branch parser-experiment 7d1e2f0
```

If you lose the hashes, `git reflog` lists everywhere HEAD has been for the last 90 days.""",
            """To avoid it next time: `git switch -c my-branch <«ref»>` creates a branch as you \
check out, so new commits have a home.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("github-actions",),
        titles=(
            "GitHub Actions secret is empty in workflows from pull requests",
            "secrets.«secret» is blank when a fork opens a PR",
        ),
        slots={"secret": ("PYPI_TOKEN", "DATABASE_URL", "API_KEY", "CODECOV_TOKEN")},
        problem="""```yaml
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ./run-tests.sh
        env:
          «secret»: ${{ secrets.«secret» }}
```

Pushes work; PRs from contributors' forks fail because `«secret»` is empty.""",
        tried=("Re-creating the secret in the repo settings",),
        answers=(
            """That's deliberate: workflows triggered by PRs from forks don't get secrets, \
otherwise anyone could open a PR that prints them. Make the tests work without the secret (a \
local service container, a fake), and run the secret-needing step only when available:

```yaml
- run: ./integration.sh
  if: ${{ github.event.pull_request.head.repo.full_name == github.repository }}
```""",
            """Don't reach for `pull_request_target` to "fix" this unless you understand it: it \
runs with secrets in the context of the base repo, and checking out the PR's code there is a \
well-known way to leak them.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("nginx", "deployment", "linux"),
        titles=(
            "nginx 502 Bad Gateway in front of gunicorn",
            "502 Bad Gateway after deploying my «app» app behind nginx",
        ),
        slots={"app": ("Flask", "Django", "FastAPI")},
        problem="""```nginx
location / {
    proxy_pass http://127.0.0.1:8000;
}
```

Visiting the site shows *502 Bad Gateway*, and `/var/log/nginx/error.log` has:

```text
connect() failed (111: Connection refused) while connecting to upstream,
upstream: "http://127.0.0.1:8000/"
```""",
        tried=("Restarting nginx",),
        answers=(
            """`Connection refused` means nothing is listening on 127.0.0.1:8000: nginx is fine, \
the app isn't running (or listens elsewhere). Check:

```bash
sudo systemctl status myapp
sudo ss -ltnp | grep 8000
journalctl -u myapp -n 50
```

Usually gunicorn crashed at import (a missing env var) or is bound to a unix socket.""",
            """If gunicorn is bound to a socket (`--bind unix:/run/myapp.sock`), nginx needs \
`proxy_pass http://unix:/run/myapp.sock;` and permission to read the socket.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("linux", "bash"),
        titles=(
            "Cron job runs by hand but not from crontab",
            "My «script» works in the terminal but does nothing in cron",
        ),
        slots={"script": ("backup script", "Python scraper", "report generator")},
        problem="""```text
*/15 * * * * python3 scripts/run.py >> run.log
```

The «script» runs fine when I type the same command. From cron nothing happens and `run.log` \
stays empty.""",
        tried=("`chmod +x` on the script",),
        answers=(
            """Cron runs with a minimal environment: a different `PATH`, no virtualenv, and the \
home directory as working directory — so `scripts/run.py` is resolved from the wrong place. Use \
absolute paths and capture errors too:

```text
*/15 * * * * cd /home/ana/project && .venv/bin/python scripts/run.py >> run.log 2>&1
```""",
            """`2>&1` is the key bit for debugging: without it the traceback goes to cron's \
mail, which on most machines means nowhere.""",
        ),
    ),
    Q(
        category="devops-cloud",
        tags=("ssh", "git"),
        titles=(
            "git@github.com: Permission denied (publickey)",
            "Permission denied (publickey) when pushing from my «machine»",
        ),
        slots={"machine": ("new laptop", "WSL setup", "work VM", "Raspberry Pi")},
        problem="""```text
$ git push
git@github.com: Permission denied (publickey).
fatal: Could not read from remote repository.
```

I generated a key with `ssh-keygen` on my «machine».""",
        tried=("Generating a second key",),
        answers=(
            """Generating a key isn't enough; GitHub needs the **public** half, and ssh needs to \
offer the right private one. Step by step:

```bash
cat ~/.ssh/id_ed25519.pub          # paste into GitHub > Settings > SSH keys
ssh -T git@github.com              # should greet you by username
ssh -vT git@github.com             # if not: shows which keys are tried
```""",
        ),
    ),
    Q(
        category="career-learning",
        tags=("career", "learning-path"),
        titles=(
            "«first» or «second» first, with 8 hours a week?",
            "Should I learn «first» before «second»?",
        ),
        slots={"first|second": ("Flask|Django", "SQL|pandas", "Docker|Kubernetes", "JavaScript|TypeScript")},
        problem="""I've finished the Python foundations track and want to work towards a junior \
backend role. Job ads mention «second» a lot, but people here recommend «first» because it's \
smaller.

I have maybe 8 hours a week. Which order makes sense?""",
        tried=(),
        answers=(
            """Learn the smaller thing first *because* it shows you what the bigger one does for \
you. A couple of months of «first» followed by «second» is faster than the other way round, \
and you'll understand the magic instead of memorising it.

Whatever you pick: build one real project and deploy it. That matters more in interviews than \
the framework.""",
            """Counterpoint: if your local job market is 90% «second», go straight there. Check \
20 job ads in your city and count.""",
            """8 hours a week is plenty if you're consistent. Two evenings plus a longer weekend \
session beats one marathon.""",
        ),
    ),
    Q(
        category="career-learning",
        tags=("interviews", "sql", "career"),
        titles=(
            "How do I prepare for a «kind» interview for a data analyst role?",
            "What do «kind» interviews usually test?",
        ),
        slots={"kind": ("SQL take-home", "live SQL", "pandas live-coding", "case-study")},
        problem="""I have a «kind» interview in two weeks for a junior data analyst position. I \
know the basics (SELECT, JOIN, GROUP BY). What should I practise, and how do people usually \
structure the answer?""",
        tried=(),
        answers=(
            """What comes up again and again: joins where rows go missing or duplicate, GROUP BY \
with HAVING, window functions (ranking, running totals, "previous value" with `LAG`), date \
bucketing, and NULL handling. Practise saying out loud what each row of your result means \
*before* writing the query.""",
            """For a take-home: state your assumptions at the top, show how you checked the data \
(row counts before/after each join), and keep it short. Reviewers love seeing \
`-- 10,000 orders before the join, 10,000 after: no duplication`.""",
        ),
    ),
)
