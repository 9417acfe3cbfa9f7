"""What one simulated person does: Locust runs this file (from `bench.load.run`).

Members sign in with a load-test account and read, vote and post in the proportions of
`bench.load.mix`; visitors only read. The pages to visit come from the targets file the
runner wrote (LOAD_TARGETS); with LOAD_ONLY, every request goes to that one page. Each
response's `X-Query-Count`, `Server-Timing` and `X-Visitor-Cache` headers are collected
per page and written to LOAD_HEADERS when Locust quits.
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import defaultdict

from locust import FastHttpUser, constant, events, task

from bench.load.mix import MEMBER_SHARE, action, page_weights, pick

ONLY = os.environ.get("LOAD_ONLY")  # one page for every request (`run --page`), or the mix
TARGETS = json.loads(open(os.environ["LOAD_TARGETS"]).read())  # noqa: SIM115
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SERVER_TIME = re.compile(r"app;dur=([0-9.]+)")
_accounts = itertools.count(1)
_seen: dict[str, dict[str, list[float]]] = defaultdict(
    lambda: {"queries": [], "server_ms": [], "built_ms": [], "kept": []})


@events.request.add_listener
def _collect(request_type, name, response=None, exception=None, **_kwargs) -> None:
    if exception is not None or response is None:
        return
    queries = response.headers.get("X-Query-Count")
    timing = SERVER_TIME.search(response.headers.get("Server-Timing", ""))
    kept = response.headers.get("X-Visitor-Cache") == "hit"
    if queries is not None:
        _seen[name]["queries"].append(int(queries))
    if timing:
        _seen[name]["server_ms"].append(float(timing.group(1)))
        if not kept:  # built for this request, not handed back from the visitors' cache
            _seen[name]["built_ms"].append(float(timing.group(1)))
    if request_type == "GET":
        _seen[name]["kept"].append(int(kept))


@events.quitting.add_listener
def _save(**_kwargs) -> None:
    with open(os.environ["LOAD_HEADERS"], "w") as out:
        json.dump(_seen, out)


class _Reader(FastHttpUser):
    abstract = True
    wait_time = constant(0)  # no pause: 50 users keep 50 requests in flight
    signed_in = False

    def on_start(self) -> None:
        self.rng = random.Random()
        self.weights = {ONLY: 100} if ONLY else page_weights(signed_in=self.signed_in)

    @task
    def act(self) -> None:
        getattr(self, action(pick(self.rng, self.weights)))()

    def _get(self, path: str, name: str) -> None:
        self.client.get(path, name=name)

    def do_login_form(self):
        self._get("/login", "login form")

    def do_home(self):
        self._get("/", "home")

    def do_thread(self):
        thread_id, slug = self.rng.choice(TARGETS["threads"])
        self._get(f"/t/{thread_id}/{slug}", "thread")

    def do_thread_50_answers(self):
        thread_id, slug = TARGETS["busy_thread"]
        self._get(f"/t/{thread_id}/{slug}", "thread, 50 answers")

    def do_category(self):
        self._get(f"/c/{self.rng.choice(TARGETS['categories'])}", "category")

    def do_tag(self):
        self._get(f"/tags/{self.rng.choice(TARGETS['tags'])}", "tag")

    def do_search(self):
        self._get(f"/search?q={self.rng.choice(TARGETS['words'])}", "search")

    def do_profile(self):
        self._get(f"/u/{self.rng.choice(TARGETS['users'])}", "profile")

    def do_leaderboard(self):
        self._get("/leaderboards", "leaderboard")

    def do_course(self):
        self._get(f"/courses/{self.rng.choice(TARGETS['courses'])}", "course")


class Visitor(_Reader):
    weight = round((1 - MEMBER_SHARE) * 100)


class Member(_Reader):
    weight = round(MEMBER_SHARE * 100)
    signed_in = True

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/login", name="login form")
        self.client.post("/login", name="sign in", data={
            "identifier": f"load{next(_accounts)}", "password": TARGETS["password"],
            "csrf_token": CSRF.search(page.text).group(1)})
        self.csrf = CSRF.search(self.client.get("/", name="home").text).group(1)

    def do_vote(self):
        self.client.post(f"/posts/{self.rng.choice(TARGETS['posts'])}/vote", name="vote",
                         data={"value": "up", "csrf_token": self.csrf},
                         headers={"Accept": "application/json"})

    def do_answer(self):
        thread_id, _slug = self.rng.choice(TARGETS["open_questions"])
        self._post(f"/t/{thread_id}/reply", "answer", {"body": _text("An answer")})

    def do_ask(self):
        self._post("/ask", "ask", {
            "kind": "question", "title": f"Load test question {uuid.uuid4().hex[:12]}",
            "body": _text("A question"), "category": TARGETS["category_id"],
            "tags": self.rng.choice(TARGETS["tags"]), "course": ""})

    def _post(self, path: str, name: str, data: dict) -> None:
        """A post answers with a redirect to it; anything else (a form error, a 429) fails."""
        with self.client.post(path, name=name, data=data | {"csrf_token": self.csrf},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code} instead of a redirect")


def _text(opening: str) -> str:
    return f"{opening} from the load test, number {uuid.uuid4().hex}, with `code` in it."
