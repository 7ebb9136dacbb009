"""Career pathways and learning plans: gaps, suggested moves, optimised and dated plans, costs."""
