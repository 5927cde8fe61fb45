#!/usr/bin/env bash
# The Debian packages the Galaxy roles of test/third_party/galaxy install, downloaded once (with
# what they need beyond this machine's installed set; a listed one even where it is installed, as a
# test that removes one installs it again) into a local apt repository: the sandboxed
# hosts the Galaxy test runs have no network, their apt reads this repository instead
# (test/sandbox.ts). usage: scripts/sandbox-debs.sh [DIR]   (needs root, apt-get, dpkg-scanpackages)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/var/cache/agri-play/sandbox-debs}
list=test/third_party/galaxy/packages.txt
mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$list")
stamp=$( (sha256sum "$list"; sha256sum "$0") | sha256sum | cut -c1-16)
[ -f "$dir/Packages" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ] && exit 0
mkdir -p "$dir/partial"
get() { apt-get install -y -qq --reinstall --download-only -o Dir::Cache::archives="$dir" "${pkgs[@]}" >/dev/null; }
get || { apt-get update -qq && get; }
# Ubuntu's French language pack, which Ansible's unarchive target installs (its CI's Debian family is
# Ubuntu): an empty stand-in package of that name, so the target's tasks after it run here too
stand=$(mktemp -d)
mkdir -p "$stand/DEBIAN"
printf 'Package: language-pack-fr\nVersion: 1:0-agri1\nArchitecture: all\nMaintainer: agri-play tests <tests@agri-play.invalid>\nDescription: empty stand-in for Ubuntu'"'"'s language-pack-fr (agri-play tests)\n' > "$stand/DEBIAN/control"
dpkg-deb --build "$stand" "$dir/language-pack-fr_0-agri1_all.deb" >/dev/null
rm -rf "$stand"
(cd "$dir" && dpkg-scanpackages -m . /dev/null 2>/dev/null > Packages)
echo "$stamp" > "$dir/.stamp"
echo "sandbox-debs: $(ls "$dir"/*.deb | wc -l) packages in $dir"
