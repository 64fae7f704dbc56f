#!/usr/bin/env python3
"""Write a run manifest for the ops-bench harness (the GPU host executes it)."""
import argparse, json, pathlib, sys

p = argparse.ArgumentParser()
p.add_argument("--adapter", required=True)
p.add_argument("--suite", default="ops-bench-v7")
a = p.parse_args()
folder = pathlib.Path(a.adapter).expanduser()
manifest = json.loads((folder / "manifest.json").read_text())
json.dump({"suite": a.suite, "adapter": manifest["bundle"], "registry": manifest["registry_uri"],
           "shards": [f["name"] for f in manifest["files"]], "host": "gpu-pool-b"}, sys.stdout, indent=2)
print()
