#!/usr/bin/env bash
# Regenerates docs/screenshot.png for the README: a demo district (5000
# residents, seed 1) shown by the real binary (default ./shequ, or
# $SHEQU_BIN) in a private Xvfb, logged in through SHEQU_AUTOLOGIN; waits
# for the first screen to settle, then captures the app's window.
#
# Settings (environment): SHEQU_BIN, SHOT_RESIDENTS (5000), SHOT_SEED (1),
# SHOT_SCREEN (2560x1600x24: Xvfb's pointer starts at the screen's centre,
# outside the window, so no widget is drawn hovered), SHOT_SETTLE (5 s), SHOT_OUT (docs/screenshot.png),
# SHOT_WHAT (window | root), SHEQU_LANG (zh unless set).
# Needs: make deps (xvfb, x11-utils, imagemagick).
set -euo pipefail

GUI_NAME=screenshot
# shellcheck source=scripts/gui-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/gui-lib.sh"

residents=${SHOT_RESIDENTS:-5000}
seed=${SHOT_SEED:-1}
screen=${SHOT_SCREEN:-2560x1600x24}
settle=${SHOT_SETTLE:-5}
what=${SHOT_WHAT:-window}
admin="admin"
export SHEQU_LANG=${SHEQU_LANG:-zh}

fail() {
	gui_log "FAIL: $*"
	if [ -n "${gui_tmp:-}" ] && [ -d "$gui_tmp" ]; then
		gui_dump_logs
	fi
	exit 1
}

gui_setup || fail "setup"
out=${SHOT_OUT:-$gui_root/docs/screenshot.png}
case $out in /*) ;; *) out=$PWD/$out ;; esac
db=$gui_tmp/demo.db
shot=$gui_tmp/screenshot.png
export SHEQU_PASSWORD='Shot-Demo-2026!'

gui_run_step init 120 "$gui_bin" init --db "$db" --admin "$admin" --personal-data || fail "shequ init failed"
gui_run_step demo 300 "$gui_bin" demo --db "$db" --user "$admin" --residents "$residents" --seed "$seed" ||
	fail "shequ demo failed"

gui_start_xvfb "$screen" || fail "could not start Xvfb"
export SHEQU_AUTOLOGIN=$admin
gui_start_app --db "$db"
unset SHEQU_AUTOLOGIN

gui_wait_window "${WINDOW_TIMEOUT:-60}" || fail "no window"
target=root
[ "$what" = window ] && target=$gui_win
gui_wait_nonblank "$target" "$shot" "${RENDER_TIMEOUT:-30}" || fail "blank screen ($gui_stats)"
gui_log "waiting ${settle} s for the first screen to settle"
sleep "$settle"
gui_app_alive || fail "the app exited on its own"
gui_wait_nonblank "$target" "$shot" 10 || fail "screen went blank ($gui_stats)"

mkdir -p "$(dirname "$out")"
# -strip: no timestamps in the PNG, so an unchanged screen gives the same file.
convert "$shot" -strip -define png:exclude-chunks=date,time "$out"
gui_stop_app 20
[ "$gui_app_rc" = 0 ] || gui_log "warning: exit status $gui_app_rc after SIGTERM"
identify -format "screenshot: wrote $out (%wx%h, $(du -h "$out" | cut -f1))\n" "$out"
