"""Tests of the career pathways planner."""
