"""competitions: challenge sets and prediction contests

Revision ID: 0006_competitions
Revises: 0005_course_questions
Create Date: 2026-12-03 07:25:16

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_competitions'
down_revision = '0005_course_questions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('rules_html', sa.Text(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('freeze_at', sa.DateTime(), nullable=True),
    sa.Column('finalized_at', sa.DateTime(), nullable=True),
    sa.Column('member_only', sa.Boolean(), nullable=False),
    sa.Column('requires_join', sa.Boolean(), nullable=False),
    sa.Column('metric', sa.String(length=20), nullable=True),
    sa.Column('public_fraction', sa.Float(), nullable=False),
    sa.Column('split_secret', sa.String(length=64), nullable=False),
    sa.Column('daily_limit', sa.Integer(), nullable=False),
    sa.Column('max_final', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_competition_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition')),
    sa.UniqueConstraint('slug', name=op.f('uq_competition_slug'))
    )
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.create_index('ix_competition_published_starts', ['published', 'starts_at'], unique=False)

    op.create_table('challenge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('statement_html', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('answer_mode', sa.String(length=20), nullable=False),
    sa.Column('answer_stored', sa.String(length=1000), nullable=False),
    sa.Column('answer_salt', sa.String(length=32), nullable=False),
    sa.Column('scoring', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('initial', sa.Integer(), nullable=True),
    sa.Column('minimum', sa.Integer(), nullable=True),
    sa.Column('decay', sa.Integer(), nullable=True),
    sa.Column('first_blood', sa.JSON(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_challenge_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge'))
    )
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        batch_op.create_index('ix_challenge_competition_position', ['competition_id', 'position'], unique=False)

    op.create_table('entrant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('disqualified_at', sa.DateTime(), nullable=True),
    sa.Column('disqualified_reason', sa.Text(), nullable=False),
    sa.Column('disqualified_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_entrant_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['disqualified_by_id'], ['user.id'], name=op.f('fk_entrant_disqualified_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_entrant_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entrant')),
    sa.UniqueConstraint('competition_id', 'user_id', name=op.f('uq_entrant_competition_id'))
    )
    with op.batch_alter_table('entrant', schema=None) as batch_op:
        batch_op.create_index('ix_entrant_user', ['user_id'], unique=False)

    op.create_table('final_standing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reached_at', sa.DateTime(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('public_rank', sa.Integer(), nullable=True),
    sa.Column('movement', sa.Integer(), nullable=True),
    sa.Column('prize_points', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_final_standing_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_final_standing_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_final_standing')),
    sa.UniqueConstraint('competition_id', 'rank', name='uq_final_standing_competition_rank'),
    sa.UniqueConstraint('competition_id', 'user_id', name=op.f('uq_final_standing_competition_id'))
    )
    with op.batch_alter_table('final_standing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_standing_user_id'), ['user_id'], unique=False)

    op.create_table('ground_truth',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_ground_truth_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_ground_truth_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ground_truth')),
    sa.UniqueConstraint('competition_id', name=op.f('uq_ground_truth_competition_id'))
    )
    op.create_table('prize_tier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('rank_from', sa.Integer(), nullable=False),
    sa.Column('rank_to', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_prize_tier_competition_id_competition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prize_tier')),
    sa.UniqueConstraint('competition_id', 'rank_from', name=op.f('uq_prize_tier_competition_id'))
    )
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('public_score', sa.Float(), nullable=False),
    sa.Column('private_score', sa.Float(), nullable=False),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('metric_version', sa.String(length=40), nullable=False),
    sa.Column('truth_sha256', sa.String(length=64), nullable=False),
    sa.Column('selected_final', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_submission_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_submission_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index('ix_submission_competition_time', ['competition_id', 'created_at'], unique=False)
        batch_op.create_index('ix_submission_user_competition_time', ['user_id', 'competition_id', 'created_at'], unique=False)

    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_attempt_challenge_id_challenge'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attempt_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_challenge_id'), ['challenge_id'], unique=False)
        batch_op.create_index('ix_attempt_user_challenge_time', ['user_id', 'challenge_id', 'submitted_at'], unique=False)

    op.create_table('challenge_prerequisite',
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('prerequisite_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_challenge_prerequisite_challenge_id_challenge'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['challenge.id'], name=op.f('fk_challenge_prerequisite_prerequisite_id_challenge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('challenge_id', 'prerequisite_id', name=op.f('pk_challenge_prerequisite'))
    )
    with op.batch_alter_table('challenge_prerequisite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_prerequisite_prerequisite_id'), ['prerequisite_id'], unique=False)

    op.create_table('hint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_html', sa.Text(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_hint_challenge_id_challenge'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hint'))
    )
    with op.batch_alter_table('hint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hint_challenge_id'), ['challenge_id'], unique=False)

    op.create_table('solve',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('solved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], name=op.f('fk_solve_challenge_id_challenge'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_solve_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_solve_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solve')),
    sa.UniqueConstraint('user_id', 'challenge_id', name=op.f('uq_solve_user_id'))
    )
    with op.batch_alter_table('solve', schema=None) as batch_op:
        batch_op.create_index('ix_solve_challenge_time', ['challenge_id', 'solved_at'], unique=False)
        batch_op.create_index('ix_solve_competition_time', ['competition_id', 'solved_at'], unique=False)

    op.create_table('hint_unlock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('hint_id', sa.Integer(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('unlocked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_hint_unlock_competition_id_competition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hint_id'], ['hint.id'], name=op.f('fk_hint_unlock_hint_id_hint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_hint_unlock_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hint_unlock')),
    sa.UniqueConstraint('user_id', 'hint_id', name=op.f('uq_hint_unlock_user_id'))
    )
    with op.batch_alter_table('hint_unlock', schema=None) as batch_op:
        batch_op.create_index('ix_hint_unlock_competition', ['competition_id', 'unlocked_at'], unique=False)



def downgrade():
    with op.batch_alter_table('hint_unlock', schema=None) as batch_op:
        batch_op.drop_index('ix_hint_unlock_competition')

    op.drop_table('hint_unlock')
    with op.batch_alter_table('solve', schema=None) as batch_op:
        batch_op.drop_index('ix_solve_competition_time')
        batch_op.drop_index('ix_solve_challenge_time')

    op.drop_table('solve')
    with op.batch_alter_table('hint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hint_challenge_id'))

    op.drop_table('hint')
    with op.batch_alter_table('challenge_prerequisite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_prerequisite_prerequisite_id'))

    op.drop_table('challenge_prerequisite')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_user_challenge_time')
        batch_op.drop_index(batch_op.f('ix_attempt_challenge_id'))

    op.drop_table('attempt')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_user_competition_time')
        batch_op.drop_index('ix_submission_competition_time')

    op.drop_table('submission')
    op.drop_table('prize_tier')
    op.drop_table('ground_truth')
    with op.batch_alter_table('final_standing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_standing_user_id'))

    op.drop_table('final_standing')
    with op.batch_alter_table('entrant', schema=None) as batch_op:
        batch_op.drop_index('ix_entrant_user')

    op.drop_table('entrant')
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        batch_op.drop_index('ix_challenge_competition_position')

    op.drop_table('challenge')
    with op.batch_alter_table('competition', schema=None) as batch_op:
        batch_op.drop_index('ix_competition_published_starts')

    op.drop_table('competition')
