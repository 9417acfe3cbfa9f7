"""search: a full-text index on thread titles alone (PostgreSQL), for member-only teasers

Revision ID: 0019_thread_title_search
Revises: 0018_category_list_index
Create Date: 2026-12-04 03:50:00

"""
from alembic import op

from app.forum import search_index


revision = '0019_thread_title_search'
down_revision = '0018_category_list_index'
branch_labels = None
depends_on = None


def upgrade():
    # Idempotent: creates what this version of the search index adds (SQLite: nothing).
    search_index.install(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_thread_title_search')
