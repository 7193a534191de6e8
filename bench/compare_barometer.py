#!/usr/bin/env python3
"""Checks that citydip's country-pair barometer (`citydip gdelt series --all --format json`) and
DuckDB's (bench/duckdb_barometer.mjs CSV) hold the same groups with equal counts and sums within
1e-9 (relative).  usage: compare_barometer.py CITYDIP.json DUCKDB.csv"""
import csv
import json
import math
import sys

COUNTS = ["events", "root_events", "mentions", "sources", "articles",
          "quad1", "quad2", "quad3", "quad4"]
FLOATS = ["goldstein_sum", "goldstein_mean", "goldstein_mentions_weighted", "tone_mean"]


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def main(citydip_path, duckdb_path):
    with open(citydip_path) as f:
        ours = {(r["period"], r["actor1"], r["actor2"]): r for r in json.load(f)["rows"]}
    theirs = {}
    with open(duckdb_path, newline="") as f:
        for row in csv.DictReader(f):
            theirs[(row["period"], row["actor1"], row["actor2"])] = row
    problems = []
    if ours.keys() != theirs.keys():
        problems.append("groups differ: only citydip %d, only DuckDB %d"
                        % (len(ours.keys() - theirs.keys()), len(theirs.keys() - ours.keys())))
    for key in ours.keys() & theirs.keys():
        a, b = ours[key], theirs[key]
        for column in COUNTS:
            if int(a[column]) != int(b[column]):
                problems.append("%s %s: %s vs %s" % (key, column, a[column], b[column]))
        for r in range(1, 21):
            code = "%02d" % r
            if int(a["cameo_roots"][code]) != int(b["root" + code]):
                problems.append("%s root%s" % (key, code))
        for column in FLOATS:
            x = a[column]
            y = float(b[column]) if b[column] not in ("", None) else None
            if not close(x, y):
                problems.append("%s %s: %r vs %r" % (key, column, x, y))
    for line in problems[:10]:
        print("  " + line)
    print("%s: %d groups (citydip) vs %d (DuckDB), %d mismatches"
          % ("same" if not problems else "DIFFERENT", len(ours), len(theirs), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
