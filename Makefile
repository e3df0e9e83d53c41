# shequ: build, run, test and package.
#
#   make test        the whole test suite (what CI runs): Debian packages,
#                    go vet, staticcheck, go test, build, real-window smoke test
#   make run ARGS='--db my.db'   the window (installs only the build packages)
#   make build       ./shequ
#   make windows     dist/shequ.exe     (cross-built with mingw-w64)
#   make windows-vet go vet and the tests' build for Windows
#   make server      ./shequ-server     (no window, no cgo: servers, containers)
#   make dist        dist/: the Windows installer and portable exe, the Linux
#                    archive, the server (VERSION=1.2.3 for another version)
#   make dist-smoke  unpacks and starts what make dist built
#   make screenshot  docs/screenshot.png for the README
#   make bench-district   the district-scale figures (half an hour)
#   make deps        only the Debian packages (idempotent)
#
# Debian 12; apt-get runs only for packages that are missing, as root or
# through sudo -n. Nothing here reads stdin.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:
.NOTPARALLEL:

GO      ?= go
BIN     ?= shequ
ARGS    ?=
# The version's one source is FyneApp.toml; every build stamps it into
# main.version (`shequ version`, --version, 关于), VERSION=… overrides it.
VERSION ?= $(shell sed -n 's/^Version *= *"\(.*\)"$$/\1/p' FyneApp.toml)
LDFLAGS := -X main.version=$(VERSION)

# go test flags. -race rebuilds every dependency instrumented and runs the
# tests (modernc.org/sqlite and argon2 above all) several times slower; the
# packages whose tests are sequential at heart (the command line's and the
# window's, which drive one thing after another; the sync scenarios) run
# without it, and their concurrent tests again with it. `make test
# TEST_FLAGS=` runs all without.
TEST_FLAGS ?= -race -timeout 45m

STEP := bash scripts/step.sh

export DEBIAN_FRONTEND := noninteractive

# ---- Debian packages --------------------------------------------------------
# cgo + GLFW build of the GUI.
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev
# Real-window smoke test and screenshots: Xvfb, xwininfo (x11-utils),
# ImageMagick's import/convert, Mesa's software GL driver for Xvfb's GLX.
WINDOW_TEST_DEBS := xvfb xauth imagemagick x11-utils libgl1-mesa-dri
# Windows cross-build (make windows only).
WINDOWS_DEBS := gcc-mingw-w64-x86-64
# make dist: the installer, the icon, the archive; make dist-smoke: the
# desktop entry's check.
DIST_DEBS := $(BUILD_DEBS) $(WINDOWS_DEBS) nsis imagemagick xz-utils
DIST_SMOKE_DEBS := $(WINDOW_TEST_DEBS) desktop-file-utils curl binutils-mingw-w64-x86-64

# ---- PostgreSQL -------------------------------------------------------------
# The sync server's tests run against Debian's PostgreSQL: `make test`
# starts a throwaway cluster on loopback (scripts/pg.sh: initdb and pg_ctl
# as the postgres user, a temporary folder and port), hands its address
# to go test through PG_ENV, and stops it even when the tests fail.
PG_DEBS := postgresql
PG_ENV  := /tmp/shequ-pg-$(shell id -u)/env
TEST_ENV :=

DEPS_DEBS := $(BUILD_DEBS) $(WINDOW_TEST_DEBS) $(PG_DEBS)

.PHONY: all deps deps-build run build server test vet lint unit smoke windows \
	screenshot pg-up pg-down clean help bench-ledger bench-district \
	dist dist-smoke windows-vet

all: build

help:
	@sed -n '1,18p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@bash scripts/ensure-debs.sh $(DEPS_DEBS)

deps-build:
	@bash scripts/ensure-debs.sh $(BUILD_DEBS)

run: deps-build
	$(GO) run -ldflags '$(LDFLAGS)' . $(ARGS)

build: deps-build
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

# Every command but the window, statically linked, pure Go (modernc SQLite,
# pgx): builds on a machine without X11, GL or a C compiler.
server:
	CGO_ENABLED=0 $(GO) build -tags headless -ldflags '$(LDFLAGS)' -o $(BIN)-server .

vet:
	@$(STEP) "go vet" $(GO) vet ./...
	@$(STEP) "go vet headless" env CGO_ENABLED=0 $(GO) vet -tags headless .

lint: vet
	@$(STEP) staticcheck $(GO) tool staticcheck ./...

# The sync tests (app/replica) make many replicas and the command line's
# tests run commands one after another: under -race each would take
# minutes. They run whole without it, and their concurrent tests (sync
# replays, many writers, parallel sign-ins) again with the rest under
# TEST_FLAGS. The window's tests (ui) run one at a time on Fyne's test app
# and drain its background jobs on the test's own goroutine, so -race has
# nothing there to find and would only quadruple their time.
SLOW_PKGS := ./app/replica ./ui/cli ./ui
RACE_SLOW := Replayed|Property|Parallel
unit:
	@$(STEP) "go test" env $(TEST_ENV) $$(cat $(PG_ENV) 2>/dev/null) $(GO) test $(TEST_FLAGS) $$($(GO) list ./... | grep -v -e '/app/replica$$' -e '/ui/cli$$' -e '/ui$$')
	@$(STEP) "go test sync, cli, window" env $(TEST_ENV) $$(cat $(PG_ENV) 2>/dev/null) $(GO) test -timeout 30m $(SLOW_PKGS)
	@$(STEP) "go test sync race" env $(TEST_ENV) $$(cat $(PG_ENV) 2>/dev/null) $(GO) test $(TEST_FLAGS) -run '$(RACE_SLOW)' ./app/replica

smoke:
	@$(STEP) smoke bash scripts/smoke.sh

# The one test command (README, CI).
test:
	@$(STEP) deps $(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory pg-up
	@rc=0; $(MAKE) --no-print-directory unit || rc=$$?; $(MAKE) --no-print-directory pg-down; exit $$rc
	@$(STEP) build $(MAKE) --no-print-directory build
	@$(STEP) "server build" $(MAKE) --no-print-directory server
	@$(MAKE) --no-print-directory smoke

# The PostgreSQL of the tests (see PG_ENV above).
pg-up:
	@$(STEP) postgresql bash scripts/pg.sh start
pg-down:
	@bash scripts/pg.sh stop

# The ledger bench: import and export against their floors, each stage in
# its own process (peak memory its own). ROWS=1500000 for a district.
ROWS ?= 100000
bench-ledger:
	@mkdir -p out/bench
	SHEQU_LEDGER_BENCH=1 SHEQU_LEDGER_ROWS=$(ROWS) SHEQU_LEDGER_DIR=$(CURDIR)/out/bench \
		$(GO) test ./app -run '^TestLedgerBench$$' -count=1 -v -timeout 60m

# The district bench: one table of everything at 1.5 million residents
# (RESIDENTS=…), medians of RUNS runs, beside excelize's floors, exceljs
# with better-sqlite3 in Node and the sqlite3 shell. About half an hour;
# not part of the tests.
RESIDENTS ?= 1500000
RUNS ?= 3
bench-district:
	@bash scripts/ensure-debs.sh $(BUILD_DEBS) xvfb sqlite3
	@mkdir -p out/district
	$(GO) run ./tools/benchdistrict -residents $(RESIDENTS) -runs $(RUNS) -dir $(CURDIR)/out/district

WINDOWS_ENV := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc

windows:
	@bash scripts/ensure-debs.sh $(WINDOWS_DEBS)
	@mkdir -p dist
	$(WINDOWS_ENV) $(GO) build -ldflags '-H=windowsgui $(LDFLAGS)' -o dist/shequ.exe .
	@ls -l dist/shequ.exe

# The Windows-only code (the console the command line attaches to) and its
# tests, cross-compiled and vetted: Debian's Wine cannot start Go 1.26
# programs, so they run on Windows only.
windows-vet:
	@bash scripts/ensure-debs.sh $(WINDOWS_DEBS)
	$(WINDOWS_ENV) $(GO) vet ./...
	$(WINDOWS_ENV) $(GO) test -c -o /dev/null .

# Built with go build, not `fyne package`: the window sets its own
# metadata (ui/desktop), windres adds the Windows icon and version, and
# FyneApp.toml is only read, never rewritten.
dist:
	@bash scripts/ensure-debs.sh $(DIST_DEBS)
	VERSION='$(VERSION)' GO='$(GO)' LDFLAGS='$(LDFLAGS)' bash scripts/dist.sh

dist-smoke:
	@bash scripts/ensure-debs.sh $(DIST_SMOKE_DEBS)
	VERSION='$(VERSION)' bash scripts/dist-smoke.sh

screenshot: deps build
	bash scripts/screenshot.sh

clean:
	rm -rf $(BIN) $(BIN)-server dist out
