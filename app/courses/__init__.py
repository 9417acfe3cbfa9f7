"""Courses: lessons, enrolment, progress, reviews and learning paths."""
