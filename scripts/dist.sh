#!/usr/bin/env bash
# `make dist`: what an office downloads, built into dist/ for VERSION:
#   shequ-V-windows-amd64-setup.exe   the installer (NSIS: per user, no admin)
#   shequ-V-windows-amd64.exe         the same program portable
#   shequ-V-linux-amd64.tar.xz        program, icon, menu entry, install.sh
#   shequ-server-V-linux-amd64        no window, no cgo: servers, containers
# and prints each one's build time and size. The version is stamped into
# the program (-X main.version), the Windows version resource and
# the installer; nothing in the working tree changes.
#
# Environment: VERSION (x.y.z[-suffix]), GO (go), LDFLAGS (the -X flag).
# Needs (Debian): gcc, the GL/X11 headers, gcc-mingw-w64-x86-64 (with its
# windres), nsis, imagemagick, xz-utils — `make dist` installs them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
GO=${GO:-go}
v=${VERSION:?VERSION is not set}
if ! [[ $v =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)([-+][0-9A-Za-z.+-]*)?$ ]]; then
	echo "dist: VERSION '$v' is not x.y.z (or x.y.z-suffix)" >&2
	exit 2
fi
# Windows wants four numbers.
v4="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.0"
publisher=Shequ
year=$(date -u +%Y)
# Symbol tables off (-s -w): a third smaller; panics keep their stacks.
ldflags="-s -w ${LDFLAGS:-}"

out=dist
work=$(mktemp -d "${TMPDIR:-/tmp}/shequ-dist.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

declare -a report=()
# built NAME SECONDS: notes an artefact's time and size.
built() {
	report+=("$(printf '  %-44s %6.1f MB %5s s' "$1" "$(($(stat -c %s "$out/$1") / 100000))e-1" "$2")")
}

# ---- Linux: the archive --------------------------------------------------
t0=$SECONDS
pkg=shequ-$v-linux-amd64
dir=$work/$pkg
mkdir -p "$dir"
CGO_ENABLED=1 $GO build -ldflags "$ldflags" -o "$dir/shequ" .
cp assets/icon.png "$dir/shequ.png"
cp scripts/dist/shequ.desktop scripts/dist/install.sh "$dir/"
# The newest glibc symbol the program links against: the oldest glibc it
# runs on (the build machine's C library sets it).
glibc=$(objdump -T "$dir/shequ" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 | sed 's/GLIBC_//')
cat >"$dir/README.txt" <<TXT
社区台账 (Shequ) $v — Linux x86-64

安装（只给自己用）：  ./install.sh
安装（给所有用户）：  sudo ./install.sh --system
卸载：                ./install.sh --uninstall   （数据保留在 ~/.local/share/shequ）
不安装直接运行：      ./shequ

Needs glibc $glibc or newer (Debian 12, Ubuntu 22.04 and later), OpenGL
(Mesa) and X11 or XWayland. The command line: ./shequ help
TXT
chmod 755 "$dir/shequ" "$dir/install.sh"
chmod 644 "$dir/shequ.png" "$dir/shequ.desktop" "$dir/README.txt"
tar -C "$work" --owner=0 --group=0 --numeric-owner --sort=name -cf - "$pkg" | xz -6 -T0 >"$out/$pkg.tar.xz"
built "$pkg.tar.xz" $((SECONDS - t0))
linux_glibc=$glibc

# ---- Windows: the portable program and the installer ---------------------
t0=$SECONDS
exe=shequ-$v-windows-amd64.exe
convert assets/icon.png -define icon:auto-resize=256,64,48,32,16 "$work/shequ.ico"
cat >"$work/shequ.manifest" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="cn.shequ.desktop" version="$v4" processorArchitecture="amd64"/>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security><requestedPrivileges><requestedExecutionLevel level="asInvoker" uiAccess="false"/></requestedPrivileges></security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{35138b9a-5d96-4fbd-8e2d-a2440225f93a}"/>
      <supportedOS Id="{4a2f28e3-53b9-4441-ba9c-d69d4a4a6e38}"/>
      <supportedOS Id="{1f676c76-80e1-4239-95bb-83d0f6d0da78}"/>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
</assembly>
XML
commas=${v4//./,}
cat >"$work/shequ.rc" <<RC
#pragma code_page(65001)
#include <winver.h>
1 ICON "shequ.ico"
1 24 "shequ.manifest"
VS_VERSION_INFO VERSIONINFO
FILEVERSION $commas
PRODUCTVERSION $commas
FILEFLAGSMASK 0x3fL
FILEFLAGS 0x0L
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
FILESUBTYPE 0x0L
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404b0"
    BEGIN
      VALUE "CompanyName", "$publisher"
      VALUE "FileDescription", "社区台账"
      VALUE "FileVersion", "$v"
      VALUE "InternalName", "shequ"
      VALUE "LegalCopyright", "© $year $publisher"
      VALUE "OriginalFilename", "shequ.exe"
      VALUE "ProductName", "社区台账"
      VALUE "ProductVersion", "$v"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x804, 1200
  END
END
RC
(cd "$work" && x86_64-w64-mingw32-windres -c 65001 -O coff -i shequ.rc -o rsrc.o)
# The resources go to the C linker beside Go's object (the cgo build links
# externally), so no .syso is left in the source folder.
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	$GO build -ldflags "-H=windowsgui $ldflags -extldflags=$work/rsrc.o" -o "$out/$exe" .
built "$exe" $((SECONDS - t0))

t0=$SECONDS
setup=shequ-$v-windows-amd64-setup.exe
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$v" -DVERSION4="$v4" -DPUBLISHER="$publisher" \
	-DEXE="$PWD/$out/$exe" -DICON="$work/shequ.ico" -DOUT="$PWD/$out/$setup" scripts/dist/shequ.nsi
built "$setup" $((SECONDS - t0))

# ---- The server ------------------------------------------------------------
t0=$SECONDS
server=shequ-server-$v-linux-amd64
CGO_ENABLED=0 $GO build -tags headless -ldflags "$ldflags" -o "$out/$server" .
built "$server" $((SECONDS - t0))

echo "dist: $v (the Linux program needs glibc $linux_glibc or newer)"
printf '%s\n' "${report[@]}"
