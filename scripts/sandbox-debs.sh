#!/usr/bin/env bash
# The Debian packages the Galaxy roles of test/third_party/galaxy install, downloaded once (with
# what they need beyond this machine's installed set) into a local apt repository: the sandboxed
# hosts the Galaxy test runs have no network, their apt reads this repository instead
# (test/sandbox.ts). usage: scripts/sandbox-debs.sh [DIR]   (needs root, apt-get, dpkg-scanpackages)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/var/cache/agri-play/sandbox-debs}
list=test/third_party/galaxy/packages.txt
mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$list")
stamp=$(sha256sum "$list" | cut -c1-16)
[ -f "$dir/Packages" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ] && exit 0
mkdir -p "$dir/partial"
get() { apt-get install -y -qq --download-only -o Dir::Cache::archives="$dir" "${pkgs[@]}" >/dev/null; }
get || { apt-get update -qq && get; }
(cd "$dir" && dpkg-scanpackages -m . /dev/null 2>/dev/null > Packages)
echo "$stamp" > "$dir/.stamp"
echo "sandbox-debs: $(ls "$dir"/*.deb | wc -l) packages in $dir"
