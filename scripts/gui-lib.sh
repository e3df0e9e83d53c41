# shellcheck shell=bash
# shellcheck disable=SC2034 # gui_* variables are read by the scripts that source this file
# Shared by scripts/smoke.sh and scripts/screenshot.sh: a private Xvfb, the
# app started on it in a throwaway HOME, waiting for its window, screenshots
# and the blank-screen check. Source it; it defines functions only, plus the
# variables named gui_* and the cleanup trap installed by gui_setup.
#
# Needs (Debian): xvfb, x11-utils (xwininfo), imagemagick (import, convert).

GUI_NAME=${GUI_NAME:-gui}

gui_log() { printf '%s: %s\n' "$GUI_NAME" "$*" >&2; }

gui_now() { date +%s; }

# gui_setup: repo root, binary, a temp dir with a throwaway HOME, the cleanup
# trap. Sets gui_root, gui_bin, gui_tmp, gui_home.
gui_setup() {
	gui_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	gui_bin=${SHEQU_BIN:-$gui_root/shequ}
	case $gui_bin in /*) ;; *) gui_bin=$PWD/$gui_bin ;; esac
	if [ ! -x "$gui_bin" ]; then
		gui_log "binary $gui_bin not found: run 'make build' first (or set SHEQU_BIN)"
		return 1
	fi
	local tool
	for tool in Xvfb xwininfo import convert identify; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			gui_log "$tool not found: run 'make deps'"
			return 1
		fi
	done
	gui_tmp=$(mktemp -d "${TMPDIR:-/tmp}/shequ-$GUI_NAME.XXXXXX")
	gui_home=$gui_tmp/home
	mkdir -p "$gui_home" "$gui_tmp/runtime"
	chmod 700 "$gui_tmp/runtime"
	gui_app_pid=
	gui_xvfb_pid=
	gui_keep_tmp=0
	trap gui_cleanup EXIT
	trap 'gui_log "interrupted"; exit 130' INT TERM HUP
}

gui_cleanup() {
	local rc=$?
	if [ -n "${gui_app_pid:-}" ] && kill -0 "$gui_app_pid" 2>/dev/null; then
		kill -KILL "$gui_app_pid" 2>/dev/null || true
		wait "$gui_app_pid" 2>/dev/null || true
	fi
	gui_stop_xvfb
	if [ -n "${gui_tmp:-}" ] && [ -d "$gui_tmp" ]; then
		if [ "$rc" -ne 0 ] || [ "${gui_keep_tmp:-0}" = 1 ]; then
			gui_log "kept work dir $gui_tmp"
		else
			rm -rf "$gui_tmp"
		fi
	fi
	return "$rc"
}

# gui_make_env: sets the array gui_envv to a clean environment: throwaway
# HOME and XDG dirs, C.UTF-8, no D-Bus session (so nothing autolaunches a bus
# that would outlive the test), the caller's SHEQU_*/FYNE_* settings.
gui_make_env() {
	gui_envv=(
		"PATH=$PATH"
		"HOME=$gui_home"
		"USER=${USER:-root}"
		"LANG=C.UTF-8"
		"LC_ALL=C.UTF-8"
		"TMPDIR=$gui_tmp"
		"XDG_CONFIG_HOME=$gui_home/.config"
		"XDG_DATA_HOME=$gui_home/.local/share"
		"XDG_CACHE_HOME=$gui_home/.cache"
		"XDG_STATE_HOME=$gui_home/.local/state"
		"XDG_RUNTIME_DIR=$gui_tmp/runtime"
		"DBUS_SESSION_BUS_ADDRESS=disabled:"
		"NO_AT_BRIDGE=1"
	)
	if [ -n "${DISPLAY_NUM:-}" ]; then
		gui_envv+=("DISPLAY=:$DISPLAY_NUM")
	fi
	local v
	while IFS= read -r v; do
		gui_envv+=("$v=${!v}")
	done < <(compgen -e | grep -E '^(SHEQU_|FYNE_|GOCOVERDIR$|GODEBUG$|GOTRACEBACK$|GORACE$)' || true)
}

# gui_env CMD...: runs CMD in that environment.
gui_env() {
	gui_make_env
	env -i "${gui_envv[@]}" "$@"
}

# gui_start_xvfb WxHxD: starts a private Xvfb. Xvfb itself picks a free
# display number (-displayfd), which avoids the race and the stale-lock
# problems of guessing one: a lock left by a dead server is removed by Xvfb,
# a live one is skipped. Sets DISPLAY_NUM and gui_xvfb_pid.
gui_start_xvfb() {
	local screen=${1:-1280x800x24}
	local dfile=$gui_tmp/xvfb.display
	: >"$dfile"
	Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset +extension GLX \
		3>"$dfile" >"$gui_tmp/xvfb.log" 2>&1 </dev/null &
	gui_xvfb_pid=$!
	local deadline=$(($(gui_now) + 30))
	DISPLAY_NUM=
	while [ "$(gui_now)" -lt "$deadline" ]; do
		if ! kill -0 "$gui_xvfb_pid" 2>/dev/null; then
			gui_log "Xvfb exited early:"
			cat "$gui_tmp/xvfb.log" >&2
			return 1
		fi
		DISPLAY_NUM=$(tr -dc '0-9' <"$dfile")
		if [ -n "$DISPLAY_NUM" ] && gui_env xwininfo -root >/dev/null 2>&1; then
			gui_log "Xvfb on :$DISPLAY_NUM ($screen), pid $gui_xvfb_pid"
			return 0
		fi
		sleep 0.2
	done
	gui_log "Xvfb did not come up in 30 s:"
	cat "$gui_tmp/xvfb.log" >&2
	return 1
}

gui_stop_xvfb() {
	if [ -n "${gui_xvfb_pid:-}" ] && kill -0 "$gui_xvfb_pid" 2>/dev/null; then
		kill -TERM "$gui_xvfb_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$gui_xvfb_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$gui_xvfb_pid" 2>/dev/null || true
		wait "$gui_xvfb_pid" 2>/dev/null || true
	fi
	gui_xvfb_pid=
}

# gui_run_step NAME TIMEOUT CMD...: a setup step (shequ init/demo) with a time
# limit, its output in $gui_tmp/NAME.log, printed when it fails.
gui_run_step() {
	local name=$1 limit=$2
	shift 2
	local t0
	t0=$(gui_now)
	gui_log "$name: $*"
	if ! gui_env timeout --kill-after=10 "$limit" "$@" </dev/null >"$gui_tmp/step-$name.out" 2>&1; then
		gui_log "$name failed (or ran over ${limit}s); its output:"
		sed 's/^/    /' "$gui_tmp/step-$name.out" >&2
		return 1
	fi
	gui_log "$name took $(($(gui_now) - t0)) s"
}

# gui_start_app ARGS...: starts the binary on the Xvfb display, in the
# background, stdout and stderr to files. Sets gui_app_pid.
gui_start_app() {
	gui_make_env
	# A simple command (not a function) in the background, so that $! is the
	# app's own pid (env execs it) and SIGTERM reaches the app itself.
	env -i "${gui_envv[@]}" "$gui_bin" "$@" </dev/null >"$gui_tmp/app.stdout" 2>"$gui_tmp/app.stderr" &
	gui_app_pid=$!
	gui_app_t0=$(gui_now)
	gui_log "started $gui_bin $* (pid $gui_app_pid)"
}

gui_app_alive() { kill -0 "$gui_app_pid" 2>/dev/null; }

# gui_wait_window TIMEOUT: waits for a viewable top-level window larger than
# 100x100 (GLFW's own 1x1 helper window doesn't count). Sets gui_win (its id)
# and gui_win_name (its quoted title, as xwininfo prints it).
gui_wait_window() {
	local limit=${1:-60}
	local deadline=$(($(gui_now) + limit)) id w h
	gui_win=
	gui_win_name=
	while [ "$(gui_now)" -lt "$deadline" ]; do
		if ! gui_app_alive; then
			gui_log "the app exited before showing a window"
			return 1
		fi
		while read -r id; do
			local info
			info=$(gui_env xwininfo -id "$id" 2>/dev/null) || continue
			grep -q 'Map State: IsViewable' <<<"$info" || continue
			w=$(awk '/^ *Width:/ {print $2}' <<<"$info")
			h=$(awk '/^ *Height:/ {print $2}' <<<"$info")
			if [ "${w:-0}" -gt 100 ] && [ "${h:-0}" -gt 100 ]; then
				gui_win=$id
				gui_win_name=$(sed -n 's/^xwininfo: Window id: [^ ]* //p' <<<"$info")
				gui_log "window $id mapped (${w}x${h}) after $(($(gui_now) - gui_app_t0)) s: $gui_win_name"
				return 0
			fi
		done < <(gui_env xwininfo -root -children 2>/dev/null | awk '$1 ~ /^0x/ {print $1}')
		sleep 0.5
	done
	gui_log "no window mapped within $limit s; windows:"
	gui_env xwininfo -root -tree >&2 2>&1 || true
	return 1
}

# gui_capture WINDOW FILE: screenshot of WINDOW ("root" or an id) to FILE.
gui_capture() {
	gui_env import -window "$1" "$2" >/dev/null 2>"$gui_tmp/import.log"
}

# gui_image_stats FILE: prints "STDDEV COLOURS" (stddev normalised to 0..1).
gui_image_stats() {
	convert "$1" -format '%[fx:standard_deviation] %k\n' info: 2>/dev/null
}

# gui_wait_nonblank WINDOW FILE TIMEOUT: takes screenshots until one is not
# blank: its standard deviation above MIN_STDDEV and more than MIN_COLOURS
# distinct colours (a window merely filled with a background colour has one or
# two; rendered text and widgets give hundreds). Sets gui_stats.
gui_wait_nonblank() {
	local win=$1 file=$2 limit=${3:-30}
	local min_sd=${MIN_STDDEV:-0.02} min_col=${MIN_COLOURS:-32}
	local deadline=$(($(gui_now) + limit)) sd col
	gui_stats=
	while :; do
		if ! gui_app_alive; then
			gui_log "the app exited while drawing its first screen"
			return 1
		fi
		if gui_capture "$win" "$file" && read -r sd col < <(gui_image_stats "$file"); then
			gui_stats="stddev=$sd colours=$col"
			if awk -v s="$sd" -v m="$min_sd" 'BEGIN {exit !(s > m)}' && [ "$col" -gt "$min_col" ]; then
				gui_log "screen is not blank: $gui_stats (need stddev>$min_sd, colours>$min_col)"
				return 0
			fi
		fi
		if [ "$(gui_now)" -ge "$deadline" ]; then
			gui_log "screen still blank after $limit s: ${gui_stats:-no screenshot} (need stddev>$min_sd, colours>$min_col)"
			[ -s "$gui_tmp/import.log" ] && cat "$gui_tmp/import.log" >&2
			return 1
		fi
		sleep 1
	done
}

# gui_stop_app TIMEOUT: SIGTERM, then waits up to TIMEOUT s for the app to
# exit; sets gui_app_rc (124 when it had to be killed).
gui_stop_app() {
	local limit=${1:-20}
	local deadline=$(($(gui_now) + limit))
	gui_app_rc=
	if ! gui_app_alive; then
		wait "$gui_app_pid" && gui_app_rc=0 || gui_app_rc=$?
		gui_log "the app had already exited (status $gui_app_rc)"
		gui_app_pid=
		return 0
	fi
	kill -TERM "$gui_app_pid"
	while gui_app_alive && [ "$(gui_now)" -lt "$deadline" ]; do
		sleep 0.2
	done
	if gui_app_alive; then
		gui_log "the app ignored SIGTERM for $limit s; killing it"
		kill -KILL "$gui_app_pid" 2>/dev/null || true
		wait "$gui_app_pid" 2>/dev/null || true
		gui_app_rc=124
	else
		wait "$gui_app_pid" && gui_app_rc=0 || gui_app_rc=$?
		gui_log "the app exited with status $gui_app_rc after SIGTERM"
	fi
	gui_app_pid=
}

# gui_dump_logs: the app's stdout/stderr and any log files it wrote.
gui_dump_logs() {
	local f
	for f in "$gui_tmp/app.stderr" "$gui_tmp/app.stdout"; do
		[ -s "$f" ] || continue
		gui_log "---- ${f##*/} (last 200 lines) ----"
		tail -n 200 "$f" >&2
	done
	while IFS= read -r f; do
		gui_log "---- ${f#"$gui_tmp"/} (last 200 lines) ----"
		tail -n 200 "$f" >&2
	done < <(find "$gui_tmp" -type f \( -name '*.log' -o -name '*.log.*' \) \
		! -name 'import.log' ! -name 'xvfb.log' 2>/dev/null | sort)
	if [ -s "$gui_tmp/xvfb.log" ]; then
		gui_log "---- xvfb.log ----"
		tail -n 50 "$gui_tmp/xvfb.log" >&2
	fi
}
