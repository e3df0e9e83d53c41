#!/usr/bin/env bash
# `make dist-smoke`: checks what `make dist` built for VERSION, as a user
# would meet it:
#   the Linux archive: unpacked, its desktop entry valid, `--version` and
#     `version` say VERSION, install.sh installs into a scratch prefix and
#     uninstalls again, and the unpacked program opens its window under Xvfb
#     (scripts/smoke.sh on it, with a small demo);
#   the server: statically linked, says VERSION, `serve` on loopback
#     answers GET /v1/health;
#   the Windows programs: GUI subsystem, the version resource says VERSION,
#     the installer is a Windows program carrying its own version.
# Needs (Debian): xvfb, x11-utils, imagemagick, desktop-file-utils, curl,
# binutils-mingw-w64-x86-64 — `make dist-smoke` installs them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
v=${VERSION:?VERSION is not set}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shequ-dist-smoke.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "dist-smoke: FAIL: $*" >&2
	exit 1
}
say() { echo "dist-smoke: $*"; }

# want_version CMD...: CMD prints "shequ VERSION".
want_version() {
	local got
	got=$("$@" 2>&1) || fail "$* failed: $got"
	[ "$got" = "shequ $v" ] || fail "$* says '$got', want 'shequ $v'"
}

# ---- Linux archive ---------------------------------------------------------
pkg=shequ-$v-linux-amd64
tar -C "$tmp" -xJf "dist/$pkg.tar.xz"
dir=$tmp/$pkg
for f in shequ shequ.png shequ.desktop install.sh README.txt; do
	[ -e "$dir/$f" ] || fail "$pkg.tar.xz has no $f"
done
[ -x "$dir/shequ" ] && [ -x "$dir/install.sh" ] || fail "the program or install.sh is not executable"
desktop-file-validate "$dir/shequ.desktop" || fail "the desktop entry is not valid"
for key in 'Name=' 'Name\[zh_CN\]=' 'Comment=' 'Categories=Office;' 'Keywords='; do
	grep -q "^$key" "$dir/shequ.desktop" || fail "the desktop entry has no $key"
done
want_version "$dir/shequ" --version
want_version "$dir/shequ" version
say "archive: unpacked, desktop entry valid, version $v"

prefix=$tmp/prefix
PREFIX=$prefix "$dir/install.sh" >/dev/null
for f in bin/shequ share/applications/shequ.desktop share/icons/hicolor/256x256/apps/shequ.png; do
	[ -e "$prefix/$f" ] || fail "install.sh did not install $f"
done
grep -q "^Exec=\"$prefix/bin/shequ\"\$" "$prefix/share/applications/shequ.desktop" ||
	fail "the installed entry does not start $prefix/bin/shequ"
desktop-file-validate "$prefix/share/applications/shequ.desktop" || fail "the installed entry is not valid"
want_version "$prefix/bin/shequ" --version
PREFIX=$prefix "$dir/install.sh" --uninstall >/dev/null
left=$(find "$prefix" -type f)
[ -z "$left" ] || fail "install.sh --uninstall left $left"
say "archive: install.sh installs and uninstalls"

SHEQU_BIN=$dir/shequ SMOKE_RESIDENTS=${SMOKE_RESIDENTS:-300} bash scripts/smoke.sh ||
	fail "the archive's program did not show its window"

# ---- Server ----------------------------------------------------------------
server=dist/shequ-server-$v-linux-amd64
if readelf -l "$server" | grep -q 'Requesting program interpreter'; then
	fail "$server is not statically linked"
fi
want_version "$server" --version
export SHEQU_PASSWORD='Smoke-Test-2026!' SHEQU_KEY_DIR=$tmp/keys
db=$tmp/office.db
"$server" init --db "$db" --admin admin --personal-data >/dev/null || fail "$server init failed"
port=$((20000 + RANDOM % 20000))
"$server" serve --store "sqlite:$db" --listen "127.0.0.1:$port" --insecure-loopback >"$tmp/serve.log" 2>&1 &
server_pid=$!
health=
for _ in $(seq 1 100); do
	if health=$(curl -fsS "http://127.0.0.1:$port/v1/health" 2>/dev/null); then
		break
	fi
	kill -0 "$server_pid" 2>/dev/null || fail "serve stopped: $(cat "$tmp/serve.log")"
	sleep 0.1
done
case $health in
*'"ok":true'*) ;;
*) fail "GET /v1/health answered '$health': $(cat "$tmp/serve.log")" ;;
esac
kill "$server_pid"
wait "$server_pid" || fail "serve did not stop cleanly on SIGTERM: $(cat "$tmp/serve.log")"
server_pid=
say "server: static, version $v, /v1/health ok"

# ---- Windows ---------------------------------------------------------------
# pe_check FILE: a Windows GUI program whose version resource says VERSION.
pe_check() {
	local head res
	head=$(x86_64-w64-mingw32-objdump -p "$1")
	grep -q 'Subsystem.*(Windows GUI)' <<<"$head" || fail "$1 is not a Windows GUI program"
	res=$(strings -el "$1")
	grep -qx 'ProductVersion' <<<"$res" && grep -qx "$v" <<<"$res" || fail "$1 has no version resource saying $v"
}
pe_check "dist/shequ-$v-windows-amd64.exe"
pe_check "dist/shequ-$v-windows-amd64-setup.exe"
say "windows: the program and the installer are GUI programs of version $v"
