"""questions tagged with a course

Revision ID: 0005_course_questions
Revises: 0004_courses
Create Date: 2026-12-03 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_course_questions'
down_revision = '0004_courses'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_thread_course_id'), ['course_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_thread_course_id_course'), 'course',
                                    ['course_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_thread_course_id_course'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_thread_course_id'))
        batch_op.drop_column('course_id')
