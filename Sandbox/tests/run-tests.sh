#!/bin/sh
# Build the CSandbox library and its tests with cc, render the rootfs skeleton
# for a test user, and run the C test suite (as root). Usage:
#   Sandbox/tests/run-tests.sh [filter]     e.g. run-tests.sh net/
#   BENCH=1 Sandbox/tests/run-tests.sh      also run the spawn benchmark
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sandbox=$(dirname "$here")

if [ "$(id -u)" != 0 ]; then echo "run-tests.sh: run as root (namespaces, cgroups, uid 1000)" >&2; exit 2; fi
if [ ! -f /usr/include/seccomp.h ]; then
    apt-get update -qq && apt-get install -y -qq libseccomp-dev >/dev/null
fi

T=$(mktemp -d /tmp/csandbox-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/obj" "$T/bin" "$T/ws"

CFLAGS="-O2 -g -Wall -Wextra -std=gnu11"
for f in "$sandbox"/CSandbox/*.c; do
    cc $CFLAGS -I"$sandbox/CSandbox/include" -c "$f" -o "$T/obj/$(basename "$f" .c).o"
done
cc $CFLAGS -I"$sandbox/CSandbox/include" "$here/cs_test.c" "$T"/obj/*.o -lseccomp -pthread -o "$T/cs_test"
cc $CFLAGS -I"$sandbox/CSandbox/include" "$here/bench.c" "$T"/obj/*.o -lseccomp -o "$T/bench"
cc $CFLAGS "$here/probe.c" -o "$T/bin/probe"

# Render the skeleton as the Swift side will: every {{placeholder}} filled.
cp -a "$sandbox/rootfs" "$T/rootfs"
for f in "$T"/rootfs/etc/*; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    sed -i -e 's/{{user}}/alice/g; s/{{uid}}/1000/g; s/{{gid}}/1000/g; s/{{full_name}}/Alice Example/g' \
           -e 's#{{home}}#/home/alice#g; s/{{hostname}}/ws-alice/g; s/{{domain}}/example.com/g' \
           -e 's/{{nameserver}}/10.0.0.2/g; s#{{timezone}}#Etc/UTC#g' "$f"
done
if grep -rl '{{' "$T/rootfs/etc" >/dev/null 2>&1; then echo "unfilled placeholder in rootfs" >&2; exit 1; fi
chmod -R go-w "$T/rootfs"
chown 1000:1000 "$T/ws"
chmod 755 "$T" "$T/bin"

status=0
"$T/cs_test" "$sandbox/policy/default.policy" "$T/rootfs" "$T/ws" "$T/bin" "${1:-}" || status=$?
if [ "${BENCH:-0}" = 1 ]; then
    "$T/bench" "$sandbox/policy/default.policy" "$T/rootfs" "$T/ws" "${RUNS:-200}" || status=$?
fi
exit $status
