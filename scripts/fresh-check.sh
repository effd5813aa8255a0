#!/bin/sh
# SPDX-License-Identifier: MIT
# `make fresh-check`: the README's two commands on a minimal Debian 12, as a new
# user would run them.
#
# Makes a minbase Debian 12 root with mmdebstrap (git and make added, nothing
# else: no xz, no QEMU ROMs, no Python modules), from this machine's own apt
# sources; clones the current commit into it; runs `make run`, then `make test`
# inside it (as root, the way a container user would; both install what they
# need through scripts/setup-host.sh). Prints each command's time and result and
# exits non-zero when either fails. Uncommitted changes are not part of the
# check: it clones the commit.
#
# Usage: scripts/fresh-check.sh [workdir]   (default: a new directory in /var/tmp)
# Needs root (mmdebstrap's root mode, chroot, mounts). Cleans up its mounts and
# files on every exit path; FRESH_KEEP=1 keeps the root for a post-mortem.
set -eu

srctree=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$srctree" rev-parse HEAD)

if [ "$(id -u)" -ne 0 ]; then
	echo "fresh-check: needs root (mmdebstrap, chroot and mounts)" >&2
	exit 1
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
	echo "fresh-check: installing mmdebstrap"
	apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null
fi

# The machine's own mirror: deb822 sources first, the one-line format otherwise.
sources=""
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
	if [ -s "$f" ] && grep -qv '^[[:space:]]*#' "$f"; then
		sources=$f
		break
	fi
done
if [ -z "$sources" ]; then
	echo "fresh-check: no apt sources found on this machine" >&2
	exit 1
fi

work=${1:-}
if [ -z "$work" ]; then
	work=$(mktemp -d /var/tmp/bulkhead-fresh.XXXXXX)
fi
root=$work/root
mounted=""

cleanup() {
	status=$?
	trap - EXIT INT TERM HUP
	for m in $mounted; do
		umount -l "$root$m" 2>/dev/null || true
	done
	if [ "${FRESH_KEEP:-0}" = 1 ]; then
		echo "fresh-check: kept $root"
	else
		rm -rf "$work"
	fi
	exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

elapsed() {
	s=$1
	printf '%dm%02ds' $((s / 60)) $((s % 60))
}

echo "fresh-check: minimal Debian 12 root in $root (mirror from $sources)"
t0=$(date +%s)
mmdebstrap --quiet --variant=minbase --include=git,make,ca-certificates bookworm "$root" "$sources"
echo "fresh-check: root made in $(elapsed $(($(date +%s) - t0)))"

for m in /proc /sys /dev; do
	mkdir -p "$root$m"
	mount --rbind "$m" "$root$m"
	mount --make-rslave "$root$m"
	mounted="$m $mounted"
done
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# The commit, as a new user gets it: a clone, not a copy of this work tree.
git clone -q --no-local "$srctree" "$root/root/bulkhead"
git -C "$root/root/bulkhead" checkout -q "$commit"
echo "fresh-check: cloned $commit"

# A run that hangs is a failure, not a wait forever.
FRESH_TIMEOUT=${FRESH_TIMEOUT:-3600}
failed=0
results=""
for cmd in "make run" "make test"; do
	echo "fresh-check: --- $cmd ---"
	log=$work/$(echo "$cmd" | tr ' ' '-').log
	t0=$(date +%s)
	# dash has no pipefail: the command's status goes through a file.
	{
		code=0
		timeout "$FRESH_TIMEOUT" chroot "$root" /usr/bin/env -i HOME=/root \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 \
			/bin/sh -c "cd /root/bulkhead && $cmd" </dev/null || code=$?
		echo $code >"$work/status"
	} 2>&1 | tee "$log"
	if [ "$(cat "$work/status")" = 0 ]; then
		result=passed
	else
		result="FAILED (exit status $(cat "$work/status"))"
	fi
	# `make run` must also have shown every partition and the end of the run.
	if [ "$cmd" = "make run" ] && [ $result = passed ]; then
		parts=$(sed -n 's/^BH_PARTITIONS := //p' "$root/root/bulkhead/build/gen/system.mk")
		for p in $parts; do
			grep -q "^\[$p\] " "$log" || { result="FAILED (partition $p printed nothing)"; break; }
		done
		grep -q '^\[bulkhead\] all partitions stopped' "$log" || result="FAILED (no 'all partitions stopped')"
	fi
	case $result in passed) ;; *) failed=1 ;; esac
	line="$cmd: $result in $(elapsed $(($(date +%s) - t0)))"
	echo "fresh-check: $line"
	results="$results  $line
"
done
echo "fresh-check: summary (commit $commit)"
printf '%s' "$results"
exit $failed
