"""The Guildhall application factory."""

from pathlib import Path

from flask import Flask

from app import database  # noqa: F401  (registers connection pragmas)
from app.config import Config
from app.extensions import csrf, db, limiter, login_manager, migrate
from app.forum.search_index import include_object as search_index_filter


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests pass their database here)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(Config)
    if config:
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        include_object=search_index_filter,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    _import_models()
    _subscribe_event_handlers()
    _register_blueprints(app)
    _register_cli(app)

    from app.outreach.returns import install_return_tracking
    from app.web.errors import install_error_handlers
    from app.web.header_counts import install_header_counts
    from app.web.query_count import install_query_count_header
    from app.web.security import install_security_headers
    from app.web.static_assets import install_static_versions
    from app.web.templating import install_template_helpers
    from app.web.visitor_cache import install_visitor_cache

    install_error_handlers(app)
    install_security_headers(app)
    install_static_versions(app)
    install_template_helpers(app)
    install_header_counts(app)
    install_return_tracking(app)
    install_query_count_header(app)
    install_visitor_cache(app)
    return app


def _import_models() -> None:
    """Import every model module so the metadata is complete for migrations and tests."""
    from app.accounts import models as _accounts  # noqa: F401
    from app.billing import models as _billing  # noqa: F401
    from app.competitions import models as _competitions  # noqa: F401
    from app.courses import models as _courses  # noqa: F401
    from app.forum import models as _forum  # noqa: F401
    from app.gamification import models as _gamification  # noqa: F401
    from app.insights import models as _insights  # noqa: F401
    from app.messages import models as _messages  # noqa: F401
    from app.moderation import models as _moderation  # noqa: F401
    from app.notifications import models as _notifications  # noqa: F401
    from app.outreach import models as _outreach  # noqa: F401
    from jobs import models as _jobs  # noqa: F401


def _subscribe_event_handlers() -> None:
    """Import the modules whose `@subscribe` handlers react to recorded events.

    Handlers of one event type run in import order; none of them depends on another's
    writes for the same event (level-ups and badges are events of their own).
    """
    from app.gamification import badge_awards as _badges  # noqa: F401
    from app.gamification import points as _points  # noqa: F401
    from app.notifications import handlers as _notifications  # noqa: F401
    from app.outreach import returns as _returns  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.billing.views import bp as billing_bp
    from app.competitions.organiser_views import bp as organise_bp
    from app.competitions.views import bp as competitions_bp
    from app.courses.views import bp as courses_bp
    from app.forum.bookmark_views import bp as bookmarks_bp
    from app.forum.browse_views import bp as browse_bp
    from app.forum.views import bp as forum_bp
    from app.gamification.badge_views import bp as badges_bp
    from app.gamification.bounty_views import bp as bounties_bp
    from app.gamification.closing_views import bp as closing_bp
    from app.gamification.invitation_views import bp as invitations_bp
    from app.gamification.leaderboard_views import bp as leaderboards_bp
    from app.gamification.views import bp as gamification_bp
    from app.insights.views import bp as insights_bp
    from app.messages.views import bp as messages_bp
    from app.moderation.category_views import bp as category_moderation_bp
    from app.moderation.console_views import bp as console_bp
    from app.moderation.content_views import bp as content_actions_bp
    from app.moderation.flag_views import bp as flags_bp
    from app.moderation.review_views import bp as review_bp
    from app.moderation.views import bp as moderation_bp
    from app.notifications.views import bp as notifications_bp
    from app.outreach.report_views import bp as outreach_report_bp
    from app.outreach.views import bp as outreach_bp

    for blueprint in (
        browse_bp, accounts_bp, forum_bp, gamification_bp, badges_bp, bounties_bp, closing_bp,
        leaderboards_bp, invitations_bp, notifications_bp, billing_bp, courses_bp,
        competitions_bp, organise_bp, insights_bp, outreach_bp, outreach_report_bp,
        moderation_bp, flags_bp, review_bp, console_bp, content_actions_bp,
        category_moderation_bp, messages_bp, bookmarks_bp,
    ):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.billing.cli import billing_cli
    from app.competitions.cli import competitions_cli
    from app.gamification.cli import points_cli
    from app.importers.cli import import_cli
    from app.insights.cli import insights_cli
    from app.outreach.cli import outreach_cli
    from app.seed.cli import seed_cli
    from jobs.cli import jobs_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(points_cli)
    app.cli.add_command(billing_cli)
    app.cli.add_command(competitions_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(insights_cli)
    app.cli.add_command(outreach_cli)
    app.cli.add_command(import_cli)
