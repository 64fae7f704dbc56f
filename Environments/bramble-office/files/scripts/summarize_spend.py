#!/usr/bin/env python3
"""Summarize a Ledgerline/GL spend export for the quarterly vendor review.

Usage:
    python3 scripts/summarize_spend.py finance/q1-vendor-spend.csv [--top 10] [--by vendor|cost_center|category]

The export has one row per transaction with (at least) the columns
date, vendor, category, cost_center and amount_usd. EUR lines are already converted
by Finance at the invoice-date rate, so we only ever add up amount_usd.
"""
import argparse
import csv
import sys
from collections import defaultdict
from decimal import Decimal

# Rows with these statuses are not yet money out of the door but are committed.
COMMITTED = {"paid", "approved", "scheduled"}


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row


def summarize(rows, key):
    totals = defaultdict(Decimal)
    counts = defaultdict(int)
    pending = Decimal("0")
    first = last = None
    for row in rows:
        amount = Decimal(row["amount_usd"])
        if row.get("status", "paid") not in COMMITTED:
            pending += amount
            continue
        totals[row[key]] += amount
        counts[row[key]] += 1
        first = min(first or row["date"], row["date"])
        last = max(last or row["date"], row["date"])
    return totals, counts, pending, first, last


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("export")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--by", default="vendor", choices=["vendor", "cost_center", "category"])
    args = p.parse_args(argv)

    totals, counts, pending, first, last = summarize(load(args.export), args.by)
    grand = sum(totals.values(), Decimal("0"))
    print(f"Spend by {args.by}, {first} to {last} (committed lines only)")
    print(f"{'#':>2}  {args.by:<32} {'lines':>5} {'USD':>14} {'share':>6}")
    for i, (name, amount) in enumerate(sorted(totals.items(), key=lambda kv: -kv[1])[: args.top], 1):
        share = (amount / grand * 100) if grand else 0
        print(f"{i:>2}  {name:<32} {counts[name]:>5} {amount:>14,.2f} {share:>5.1f}%")
    print(f"    {'TOTAL committed':<32} {sum(counts.values()):>5} {grand:>14,.2f}")
    if pending:
        print(f"    {'(submitted, not yet approved)':<32} {'':>5} {pending:>14,.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
