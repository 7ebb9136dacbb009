"""Reference datasets: NOC 2021, OaSIS, COPS, ESCO, O*NET and crosswalks (see loader.py)."""
