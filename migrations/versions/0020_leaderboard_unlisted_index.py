"""leaderboards: a partial index of the people a board may leave out

Revision ID: 0020_leaderboard_unlisted_index
Revises: 0019_thread_title_search
Create Date: 2026-12-04 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_leaderboard_unlisted_index'
down_revision = '0019_thread_title_search'
branch_labels = None
depends_on = None

# Written as the model writes it, so each database gets the same text as a query's
# condition (SQLite compares them term by term: `hide_from_leaderboards = 1` there).
user = sa.table('user', sa.column('hide_from_leaderboards', sa.Boolean),
                sa.column('deleted_at', sa.DateTime), sa.column('suspended_until', sa.DateTime))
MAYBE_UNLISTED = sa.or_(user.c.hide_from_leaderboards, user.c.deleted_at.is_not(None),
                        user.c.suspended_until.is_not(None))


def upgrade():
    op.create_index('ix_user_unlisted', 'user', ['id'], unique=False,
                    postgresql_where=MAYBE_UNLISTED, sqlite_where=MAYBE_UNLISTED)


def downgrade():
    op.drop_index('ix_user_unlisted', table_name='user')
