"""The console's jobs page: every registered job with its last run (or "never"), durations,
counts in a few words, a failed run's error escaped and marked, and the latest runs."""

from datetime import datetime, timedelta

from app.extensions import db
from app.moderation.console_jobs import RECENT_RUNS, duration, jobs_page
from jobs.models import JobRun, JobStatus
from jobs.registry import all_jobs
from tests.fixtures.queries import count_queries
from tests.fixtures.users import login_as, make_user

START = datetime(2026, 3, 11, 4, 0)
TRACEBACK = """Traceback (most recent call last):
  File "jobs/runner.py", line 60, in run_job
ValueError: the <b>data</b> source went away
"""


def _run(job, *, started=START, seconds=125.0, status=JobStatus.SUCCEEDED, counts=None,
         error=None):
    run = JobRun(job=job, trigger="schedule", as_of=started, started_at=started,
                 finished_at=started + timedelta(seconds=seconds) if seconds is not None else None,
                 status=status, counts=counts or {}, error=error)
    db.session.add(run)
    db.session.commit()
    return run


def _rows(page, table):
    return {row[0]: row for row in page.tables[table].rows}


def test_every_registered_job_is_listed_and_those_never_run_say_so(app):
    names = list(all_jobs())
    _run(names[0], counts={"selected": 7, "sent": 5})
    page = jobs_page()
    rows = _rows(page, "jobs")
    assert list(rows) == names
    assert rows[names[0]][2:] == ("2026-03-11 04:00:00", "2 min 5 s", "succeeded",
                                  "selected 7 · sent 5", None)
    assert rows[names[1]][1] == str(all_jobs()[names[1]].schedule)
    assert rows[names[1]][2:] == (None, None, "never", None, None)
    assert ("Never run", str(len(names) - 1)) in page.figures


def test_the_last_run_is_the_one_shown_and_a_failure_names_its_exception(app):
    name = next(iter(all_jobs()))
    _run(name, started=START - timedelta(days=1))
    _run(name, status=JobStatus.FAILED, seconds=3.25, error=TRACEBACK)
    page = jobs_page()
    _, _, started, took, status, counts, error = _rows(page, "jobs")[name]
    assert (started, took, status.text, counts) == ("2026-03-11 04:00:00", "3.2 s", "failed", None)
    assert error == "ValueError: the <b>data</b> source went away"
    assert ("Last run failed", "1") in page.figures


def test_a_failed_run_stands_out_and_its_error_is_escaped(client, moderator):
    name = next(iter(all_jobs()))
    _run(name, status=JobStatus.FAILED, error=TRACEBACK)
    login_as(client, moderator)
    page = client.get("/staff/console/jobs").get_data(as_text=True)
    assert '<strong class="console-alert">failed</strong>' in page
    assert "the &lt;b&gt;data&lt;/b&gt; source went away" in page and "<b>data" not in page
    csv = client.get("/staff/console/jobs/jobs.csv").get_data(as_text=True)
    assert f"{name},{all_jobs()[name].schedule},2026-03-11 04:00:00,2 min 5 s,failed," in csv


def test_durations_read_in_seconds_minutes_or_hours():
    assert [duration(s) for s in (None, 0.04, 59.94, 60, 125, 3599.6, 7380)] == [
        None, "0.0 s", "59.9 s", "1 min 0 s", "2 min 5 s", "1 h 0 min", "2 h 3 min"]


def test_a_run_still_going_has_no_duration_yet(app):
    name = next(iter(all_jobs()))
    _run(name, status=JobStatus.RUNNING, seconds=None)
    assert _rows(jobs_page(), "jobs")[name][3:5] == (None, "running")


def test_the_latest_runs_of_all_jobs_newest_first_at_most_fifty(app):
    names = list(all_jobs())
    for n in range(RECENT_RUNS + 5):
        _run(names[n % 2], started=START + timedelta(minutes=n))
    rows = jobs_page().tables["runs"].rows
    assert len(rows) == RECENT_RUNS
    assert rows[0][2] == f"{START + timedelta(minutes=RECENT_RUNS + 4):%Y-%m-%d %H:%M:%S}"
    assert rows[0][:2] == (names[(RECENT_RUNS + 4) % 2], "schedule")


def test_the_query_count_does_not_grow_with_the_runs(client, moderator):
    login_as(client, moderator)
    _run(next(iter(all_jobs())))
    with count_queries() as few:
        client.get("/staff/console/jobs")
    for n, name in enumerate(all_jobs()):
        _run(name, started=START + timedelta(minutes=n))
        _run(name, started=START + timedelta(hours=1, minutes=n), status=JobStatus.FAILED,
             error=TRACEBACK)
    with count_queries() as many:
        client.get("/staff/console/jobs")
    assert many.count == few.count


def test_members_are_refused(client):
    login_as(client, make_user())
    assert client.get("/staff/console/jobs").status_code == 403
