"""Writes of the case work, one module per feature:

- ``cases``: open a case (also from a letter), correct it, record its stage and conclusion, its documents;
- ``complaints``: letters received, resolved, forwarded or filed;
- ``discipline``: discipline decisions with their effects, and appeals;
- ``logs``: the log of reads of case files.
"""
