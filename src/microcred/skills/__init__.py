"""The skills engine: job titles to occupations, text to skills, profiles, similarity, gaps."""
