#!/usr/bin/env python3
"""Check a decision batch against the application file and credit policy v9.

usage: score_check.py APPLICATIONS.csv [DECISIONS.csv]
Without DECISIONS, prints what policy says for each application.
"""
import csv, sys

def policy(row):
    reasons = []
    if int(row["owner_fico"]) < 660: reasons.append("D-1")
    if float(row["dscr"]) < 1.25: reasons.append("D-2")
    if row["flags"].strip(): reasons.append("D-3")
    return ("approve", "") if not reasons else ("decline", reasons[-1] if "D-3" in reasons else reasons[0])

apps = {r["application_id"]: r for r in csv.DictReader(open(sys.argv[1]))}
if len(sys.argv) == 2:
    for aid, r in apps.items():
        d, code = policy(r)
        print(f"{aid}  {d:8} {code:4} {int(r['amount_usd']):>8,}  {r['business']}")
    sys.exit(0)
problems, seen = [], set()
for r in csv.DictReader(open(sys.argv[2])):
    aid = r["application_id"]
    if aid not in apps: problems.append(f"{aid}: not in the application file"); continue
    if aid in seen: problems.append(f"{aid}: decided twice")
    seen.add(aid)
    want, code = policy(apps[aid])
    if r["decision"] != want: problems.append(f"{aid}: decision {r['decision']}, policy says {want}")
    if r["decision"] == "decline" and not r.get("reason_code"): problems.append(f"{aid}: decline without reason code")
for aid in apps.keys() - seen: problems.append(f"{aid}: no decision")
print("\n".join(problems) if problems else f"ok: {len(seen)} decisions match policy v9")
sys.exit(1 if problems else 0)
