#!/usr/bin/env bash
# Installs, with apt-get, only those of the given Debian packages that are not
# installed yet. Idempotent: when everything is there it only runs `dpkg -s`
# and touches neither the network nor apt's lists.
#
#   scripts/ensure-debs.sh PKG...
#
# Runs apt-get directly as root, through sudo (non-interactive) otherwise;
# fails with a clear message when neither is possible. Never reads stdin.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 PKG..." >&2
	exit 2
fi

missing=()
for pkg in "$@"; do
	if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed$'; then
		missing+=("$pkg")
	fi
done

if [ "${#missing[@]}" -eq 0 ]; then
	echo "deps: all ${#} Debian packages present"
	exit 0
fi

echo "deps: installing missing Debian packages: ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
	as_root=(env)
elif command -v sudo >/dev/null 2>&1; then
	# -n: never prompt for a password (CI and make have no usable stdin).
	as_root=(sudo -n env)
else
	echo "deps: not root and sudo is not available; install these yourself:" >&2
	echo "  apt-get install ${missing[*]}" >&2
	exit 1
fi

apt_env=(DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a)
apt_opts=(-y -q -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# apt's lists are refreshed only because something is missing. One retry
# covers a mirror hiccup or a lock briefly held by another apt process.
for attempt in 1 2; do
	if "${as_root[@]}" "${apt_env[@]}" apt-get -q -o DPkg::Lock::Timeout=120 update </dev/null &&
		"${as_root[@]}" "${apt_env[@]}" apt-get install "${apt_opts[@]}" "${missing[@]}" </dev/null; then
		exit 0
	fi
	if [ "$attempt" -eq 1 ]; then
		echo "deps: apt-get failed, retrying in 10 s" >&2
		sleep 10
	fi
done
echo "deps: could not install: ${missing[*]}" >&2
exit 1
