"""The engagement job's use case: score every member for a day and store it."""

from datetime import date, datetime

import numpy as np
from sqlalchemy import delete, select

from app.database import INSERT_BATCH, insert_in_batches
from app.extensions import db
from app.insights import engagement_rules as rules
from app.insights.churn import (
    ChurnModel,
    build_training_set,
    features_at,
    in_population,
    predict_risk,
    train_churn_model,
)
from app.insights.engagement import active_weeks, components_at, engagement_scores, idle_days
from app.insights.engagement_history import Members, load_history, load_members
from app.insights.models.engagement import EngagementRun, EngagementScore, Persona
from app.insights.personas import Personas, find_personas
from app.insights.segments import assign_segments


def refresh_engagement(as_of: datetime, progress=None) -> dict[str, int]:
    """Scores, segments, churn risk and personas for every member on `as_of`'s day.

    Everything is computed before anything is written; then one transaction replaces the
    day's run, personas and scores, so a re-run never duplicates and a crash part-way
    leaves the previous results readable.
    """
    members = load_members(as_of)
    history = load_history(members, as_of, progress)
    components = components_at(history)
    scores = engagement_scores(components)
    idle = idle_days(history)
    segments = assign_segments(
        members.account_age_days, idle, active_weeks(history), scores,
        engagement_scores(components_at(history, rules.AT_RISK_WINDOW_DAYS)),
    )
    training = build_training_set(history, members.account_age_days)
    model = train_churn_model(training)
    risk = predict_risk(model, features_at(history, members.account_age_days),
                        in_population(history, members.account_age_days), segments)
    clustered = idle <= rules.DORMANT_DAYS
    personas = find_personas(components[clustered], scores[clustered])
    persona_names = np.full(len(members.ids), None, dtype=object)
    if personas is not None:
        persona_names[clustered] = np.array(personas.names, dtype=object)[personas.labels]

    day = as_of.date()
    rows = _score_rows(members, day, components, scores, segments, risk, persona_names)
    _replace_day(day, as_of, model, personas, rows, progress)
    counts = {"users": len(rows), "churn_training_rows": model.training_size,
              "personas": len(personas.names) if personas else 0}
    for segment in rules.SEGMENTS:
        counts[f"segment_{segment.replace('-', '_')}"] = segments.count(segment)
    return counts


def _score_rows(members: Members, day: date, components, scores, segments, risk,
                personas) -> list[dict]:
    ids = members.ids.tolist()
    columns = {name: components[:, i].round(4).tolist() for i, name in enumerate(rules.COMPONENTS)}
    scores, risk = scores.tolist(), risk.round(4).tolist()
    return [
        {"user_id": ids[i], "day": day, "score": scores[i], "segment": segments[i],
         "churn_risk": risk[i], "persona": personas[i],
         **{name: values[i] for name, values in columns.items()}}
        for i in range(len(ids))
    ]


def _replace_day(day: date, as_of: datetime, model: ChurnModel, personas: Personas | None,
                 rows: list[dict], progress) -> None:
    try:
        old = db.session.scalar(select(EngagementRun.id).where(EngagementRun.day == day))
        if old is not None:
            db.session.execute(delete(Persona).where(Persona.run_id == old))
            db.session.execute(delete(EngagementRun).where(EngagementRun.id == old))
        db.session.execute(delete(EngagementScore).where(EngagementScore.day == day))
        run = EngagementRun(
            day=day, as_of=as_of, users=len(rows), churn_model=model.kind,
            churn_training_size=model.training_size, churn_auc=model.auc, churn_note=model.note,
            persona_silhouette=personas.silhouette if personas else None,
        )
        db.session.add(run)
        db.session.flush()
        if personas is not None:
            insert_in_batches(Persona, [
                {"run_id": run.id, "cluster": c, "name": personas.names[c],
                 "size": personas.sizes[c],
                 "centre": dict(zip(rules.COMPONENTS, np.round(centre, 4).tolist(), strict=True))}
                for c, centre in enumerate(personas.centres)
            ])
        batches = -(-len(rows) // INSERT_BATCH)
        insert_in_batches(EngagementScore, rows, track=(
            iter if progress is None
            else lambda chunks: progress.track(chunks, total=batches, label="writing")))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
