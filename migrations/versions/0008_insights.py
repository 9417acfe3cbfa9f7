"""insights: engagement scores and segments, communities, recommendations, interests

Revision ID: 0008_insights
Revises: 0007_jobs
Create Date: 2026-12-03 11:40:38.317104

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_insights'
down_revision = '0007_jobs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('community_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('modularity', sa.Float(), nullable=False),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('edges', sa.Integer(), nullable=False),
    sa.Column('communities', sa.Integer(), nullable=False),
    sa.Column('sizes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_run'))
    )
    with op.batch_alter_table('community_run', schema=None) as batch_op:
        batch_op.create_index('ix_community_run_as_of', ['as_of'], unique=False)

    op.create_table('engagement_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('as_of', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('churn_model', sa.String(length=10), nullable=False),
    sa.Column('churn_training_size', sa.Integer(), nullable=False),
    sa.Column('churn_auc', sa.Float(), nullable=True),
    sa.Column('churn_note', sa.Text(), nullable=False),
    sa.Column('persona_silhouette', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_run')),
    sa.UniqueConstraint('day', name=op.f('uq_engagement_run_day'))
    )
    op.create_table('recommendation_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_run'))
    )
    with op.batch_alter_table('recommendation_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_run_finished_at'), ['finished_at'], unique=False)

    op.create_table('community',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('community_key', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('central', sa.JSON(), nullable=False),
    sa.Column('bridges', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['community_run.id'], name=op.f('fk_community_run_id_community_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community')),
    sa.UniqueConstraint('run_id', 'community_key', name=op.f('uq_community_run_id'))
    )
    op.create_table('community_member',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('community_key', sa.Integer(), nullable=False),
    sa.Column('centrality', sa.Float(), nullable=False),
    sa.Column('participation', sa.Float(), nullable=False),
    sa.Column('is_bridge', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['community_run.id'], name=op.f('fk_community_member_run_id_community_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_community_member_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'user_id', name=op.f('pk_community_member'))
    )
    with op.batch_alter_table('community_member', schema=None) as batch_op:
        batch_op.create_index('ix_community_member_user_run', ['user_id', 'run_id'], unique=False)

    op.create_table('engagement_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('recency', sa.Float(), nullable=False),
    sa.Column('frequency', sa.Float(), nullable=False),
    sa.Column('contribution', sa.Float(), nullable=False),
    sa.Column('reception', sa.Float(), nullable=False),
    sa.Column('learning', sa.Float(), nullable=False),
    sa.Column('competing', sa.Float(), nullable=False),
    sa.Column('segment', sa.String(length=10), nullable=False),
    sa.Column('churn_risk', sa.Float(), nullable=True),
    sa.Column('persona', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_engagement_score_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_score')),
    sa.UniqueConstraint('user_id', 'day', name='uq_engagement_score_user_day')
    )
    with op.batch_alter_table('engagement_score', schema=None) as batch_op:
        batch_op.create_index('ix_engagement_score_day_segment', ['day', 'segment'], unique=False)

    op.create_table('persona',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('cluster', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('centre', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['engagement_run.id'], name=op.f('fk_persona_run_id_engagement_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persona')),
    sa.UniqueConstraint('run_id', 'cluster', name=op.f('uq_persona_run_id'))
    )
    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['recommendation_run.id'], name=op.f('fk_recommendation_run_id_recommendation_run'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recommendation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index('ix_recommendation_run', ['run_id'], unique=False)
        batch_op.create_index('ix_recommendation_user_kind_run', ['user_id', 'kind', 'run_id'], unique=False)

    op.create_table('related_course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('related_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['recommendation_run.id'], name=op.f('fk_related_course_run_id_recommendation_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_course'))
    )
    with op.batch_alter_table('related_course', schema=None) as batch_op:
        batch_op.create_index('ix_related_course_course_run', ['course_id', 'run_id'], unique=False)
        batch_op.create_index('ix_related_course_run', ['run_id'], unique=False)

    op.create_table('related_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('related_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['recommendation_run.id'], name=op.f('fk_related_thread_run_id_recommendation_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_related_thread'))
    )
    with op.batch_alter_table('related_thread', schema=None) as batch_op:
        batch_op.create_index('ix_related_thread_run', ['run_id'], unique=False)
        batch_op.create_index('ix_related_thread_thread_run', ['thread_id', 'run_id'], unique=False)

    op.create_table('user_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_user_interest_tag_id_tag'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_interest_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_interest')),
    sa.UniqueConstraint('user_id', 'tag_id', name=op.f('uq_user_interest_user_id'))
    )
    with op.batch_alter_table('user_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_interest_tag_id'), ['tag_id'], unique=False)



def downgrade():
    with op.batch_alter_table('user_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_interest_tag_id'))

    op.drop_table('user_interest')
    with op.batch_alter_table('related_thread', schema=None) as batch_op:
        batch_op.drop_index('ix_related_thread_thread_run')
        batch_op.drop_index('ix_related_thread_run')

    op.drop_table('related_thread')
    with op.batch_alter_table('related_course', schema=None) as batch_op:
        batch_op.drop_index('ix_related_course_run')
        batch_op.drop_index('ix_related_course_course_run')

    op.drop_table('related_course')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index('ix_recommendation_user_kind_run')
        batch_op.drop_index('ix_recommendation_run')

    op.drop_table('recommendation')
    op.drop_table('persona')
    with op.batch_alter_table('engagement_score', schema=None) as batch_op:
        batch_op.drop_index('ix_engagement_score_day_segment')

    op.drop_table('engagement_score')
    with op.batch_alter_table('community_member', schema=None) as batch_op:
        batch_op.drop_index('ix_community_member_user_run')

    op.drop_table('community_member')
    op.drop_table('community')
    with op.batch_alter_table('recommendation_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_run_finished_at'))

    op.drop_table('recommendation_run')
    op.drop_table('engagement_run')
    with op.batch_alter_table('community_run', schema=None) as batch_op:
        batch_op.drop_index('ix_community_run_as_of')

    op.drop_table('community_run')
