#!/usr/bin/env python3
"""Check every file listed in a registry manifest.json: size and sha256.

usage: verify_manifest.py path/to/manifest.json [--json]
Exit status 0 when every file matches, 1 otherwise.
"""
import hashlib, json, pathlib, sys

def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    manifest_path = pathlib.Path(sys.argv[1])
    manifest = json.loads(manifest_path.read_text())
    folder = manifest_path.parent
    rows, ok = [], True
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if not path.exists():
            rows.append((entry["name"], "MISSING", "", "")); ok = False; continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        good = digest == entry["sha256"] and len(data) == entry["bytes"]
        ok &= good
        rows.append((entry["name"], "ok" if good else "MISMATCH", len(data), digest))
    if "--json" in sys.argv:
        print(json.dumps([dict(zip(("name", "status", "bytes", "sha256"), r)) for r in rows], indent=2))
    else:
        for name, status, size, digest in rows:
            print(f"{status:8} {name}  {size}  {digest}")
        print(f"bundle {manifest['bundle']}: {'all files verified' if ok else 'VERIFICATION FAILED'}")
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
