"""Evaluation: the project's own eval sets (``evals/``) and runners for external benchmarks.

Each runner returns an ``EvalReport``: named metrics, the cases that failed and why, and the
figures behind every rate, so that a number in a report can always be traced to its cases.
"""
