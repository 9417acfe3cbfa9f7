"""thread lists: an index for a category's default order (pinned first, latest activity)

Revision ID: 0018_category_list_index
Revises: 0017_stackexchange_import
Create Date: 2026-12-03 22:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_category_list_index'
down_revision = '0017_stackexchange_import'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_thread_category_pinned_activity', 'thread',
        ['category_id', sa.text('(pinned_at IS NULL)'), sa.text('last_activity_at DESC'),
         sa.text('id DESC')],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_thread_category_pinned_activity', table_name='thread')
