#!/bin/sh
# Installs 社区台账 (Shequ) from this folder, or removes it.
#
#   ./install.sh                  for you alone (~/.local, no root needed)
#   sudo ./install.sh --system    for every user (/usr/local)
#   ./install.sh --uninstall      removes it again (add --system for /usr/local)
#
# The data (~/.local/share/shequ: the database, its copies before
# upgrades, the log) is never touched: installing a newer version keeps
# it, and the program migrates it on first start after a copy.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
action=install
for arg in "$@"; do
	case $arg in
	--system) prefix=${PREFIX:-/usr/local} ;;
	--uninstall) action=uninstall ;;
	-h | --help)
		sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "install.sh: unknown option $arg (see --help)" >&2
		exit 2
		;;
	esac
done

bin=$prefix/bin/shequ
icon=$prefix/share/icons/hicolor/256x256/apps/shequ.png
entry=$prefix/share/applications/shequ.desktop

# Menus watch the applications folder; an icon theme's cache is stale once
# the folder is newer than it.
refresh() {
	touch "$prefix/share/icons/hicolor" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
	rm -f "$bin" "$icon" "$entry"
	refresh
	echo "社区台账 removed from $prefix (your data in ~/.local/share/shequ is kept)"
	exit 0
fi

mkdir -p "$(dirname "$bin")" "$(dirname "$icon")" "$(dirname "$entry")"
# Copied to a new name and renamed: a running program keeps its old file.
cp "$here/shequ" "$bin.new" && chmod 755 "$bin.new" && mv -f "$bin.new" "$bin"
cp "$here/shequ.png" "$icon" && chmod 644 "$icon"
# The menu starts the program by its full path: ~/.local/bin is not on
# every desktop's PATH.
sed "s|^Exec=shequ\$|Exec=\"$bin\"|" "$here/shequ.desktop" >"$entry"
chmod 644 "$entry"
refresh
echo "社区台账 $("$bin" version | sed 's/^shequ //') installed in $prefix: find it in the menu under Office (办公)"
