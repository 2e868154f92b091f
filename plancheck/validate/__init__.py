"""The validate stage: rule catalogue, checks, engine, findings and CI baselines."""
