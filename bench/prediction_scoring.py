"""How fast is a prediction submission read, checked and scored at 100,000 rows?

    python -m bench.prediction_scoring [--rows 100000] [--runs 7] [--public 0.3]

For each metric, builds a ground-truth file and an entrant's file (rows shuffled, as a
real file's are) with seeded numpy, then times, as the upload would run them: parsing
the ground truth, the secret public/private split, parsing and validating the entrant's
file against the truth, and scoring both boards. Prints the median of `--runs` runs of
each step and the two totals: a submission alone (its file and its scores: the truth and
the split can be kept per competition) and everything from the raw bytes. Saves the
numbers under bench/results/.
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

from app.competitions.metrics import METRICS, Kind
from app.competitions.prediction_file import parse_ground_truth, parse_predictions
from app.competitions.scoring import score_prediction
from app.competitions.split import public_mask
from bench.timing import RESULTS_DIR, machine

SECRET = "bench-secret"
CLASSES = np.array(["cat", "dog", "eel", "fox", "gnu"])


def generate(kind: Kind, rows: int, seed: int) -> tuple[bytes, bytes]:
    """(ground truth CSV, prediction CSV) for a metric of `kind`; predictions are shuffled."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("row", np.arange(rows).astype(str))
    if kind == "label":
        truth = rng.integers(0, len(CLASSES), rows)
        guess = np.where(rng.random(rows) < 0.7, truth, rng.integers(0, len(CLASSES), rows))
        truth_cells, guess_cells = CLASSES[truth], CLASSES[guess]
    elif kind == "probability":
        truth = rng.integers(0, 2, rows)
        guess = np.clip(truth * 0.3 + rng.random(rows) * 0.7, 0.0, 1.0)
        truth_cells, guess_cells = truth.astype(str), np.char.mod("%.6f", guess)
    else:
        truth = rng.normal(100.0, 15.0, rows)
        guess = truth + rng.normal(0.0, 5.0, rows)
        truth_cells, guess_cells = np.char.mod("%.6f", truth), np.char.mod("%.6f", guess)
    order = rng.permutation(rows)
    return _csv(ids, truth_cells), _csv(ids[order], guess_cells[order])


def _csv(ids: np.ndarray, cells: np.ndarray) -> bytes:
    lines = np.char.add(np.char.add(ids, ","), cells)
    return ("id,target\n" + "\n".join(lines.tolist()) + "\n").encode()


def measure(slug: str, rows: int, runs: int, public: float, seed: int) -> dict:
    kind = METRICS[slug].kind
    truth_csv, guess_csv = generate(kind, rows, seed)
    steps: dict[str, list[float]] = {"truth": [], "split": [], "file": [], "score": []}
    for _ in range(runs):
        truth = _timed(steps["truth"], lambda: parse_ground_truth(truth_csv, kind))
        mask = _timed(steps["split"], lambda t=truth: public_mask(SECRET, t.ids, public))
        guess = _timed(steps["file"], lambda t=truth: parse_predictions(guess_csv, t, kind))
        scores = _timed(steps["score"], lambda t=truth, g=guess, m=mask: score_prediction(
            slug, t.values, g.values, m))
    median = {step: statistics.median(ms) for step, ms in steps.items()}
    return {
        "metric": slug,
        "rows": rows,
        "file_mb": round(len(guess_csv) / 1024 / 1024, 2),
        **{f"{step}_ms": round(ms, 1) for step, ms in median.items()},
        "submission_ms": round(median["file"] + median["score"], 1),
        "all_ms": round(sum(median.values()), 1),
        "public_score": scores[0],
        "private_score": scores[1],
    }


def _timed(into: list[float], fn: Callable):
    started = time.perf_counter()
    result = fn()
    into.append((time.perf_counter() - started) * 1000)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows (default 100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--public", type=float, default=0.3, help="public fraction (0.3)")
    parser.add_argument("--seed", type=int, default=7, help="data seed (default 7)")
    args = parser.parse_args(argv)
    if args.rows < 2 or args.runs < 1 or not 0 < args.public < 1:
        parser.error("--rows must be at least 2, --runs at least 1, --public in (0, 1)")

    info = machine()
    print(f"Prediction scoring: {args.rows:,} rows, public fraction {args.public}, "
          f"median of {args.runs} runs")
    print(f"Machine: {info['platform']}, {info['cpu']}, {info['cpus']} CPUs, "
          f"Python {info['python']}, numpy {np.__version__}")
    results = [measure(slug, args.rows, args.runs, args.public, args.seed) for slug in METRICS]

    print(f"\n{'metric':<10}{'size':>8}{'truth':>9}{'split':>9}{'file':>9}{'score':>9}"
          f"{'submission':>12}{'all':>9}")
    for r in results:
        print(f"{r['metric']:<10}{r['file_mb']:>6.1f}MB"
              + "".join(f"{r[key]:>7.1f}ms" for key in ("truth_ms", "split_ms", "file_ms",
                                                         "score_ms"))
              + f"{r['submission_ms']:>10.1f}ms{r['all_ms']:>7.1f}ms")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"prediction_scoring-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": info, "args": vars(args), "results": results},
                              indent=2))
    print(f"\nSaved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
