#!/usr/bin/env bash
# npm run record:patterns — what ansible-core selects for each host pattern of
# test/inventory/patterns.txt over test/inventory/farm.ini, into patterns.expected.json
# (test/inventory.test.ts compares agri-play's selection with it).
set -euo pipefail
cd "$(dirname "$0")/../test/inventory"
{
  printf '{"ansible_core": "%s", "patterns": {' "$(ansible --version | sed -n 's/.*core \([0-9.]*\).*/\1/p')"
  first=1
  while IFS= read -r p; do
    [ -z "$p" ] && continue
    hosts=$(ANSIBLE_LOCALHOST_WARNING=0 ansible -i farm.ini --list-hosts "$p" 2>/dev/null | tail -n +2 | sed 's/^ *//' | grep -v '^$' || true)
    json=$(printf '%s\n' "$hosts" | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))')
    [ $first -eq 1 ] || printf ','
    first=0
    printf '\n  %s: %s' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$p")" "$json"
  done < patterns.txt
  printf '\n}}\n'
} > patterns.expected.json
echo "recorded $(grep -c . patterns.txt) patterns"
