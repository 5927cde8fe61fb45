#!/usr/bin/env bash
# npm run record:patterns — what ansible-core selects for each host pattern of
# test/inventory/patterns.txt over test/inventory/farm.ini, into patterns.expected.json
# (test/inventory.test.ts compares agri-play's selection with it): the hosts (`ansible --list-hosts`,
# whose order is a Python set's), and the order a play runs them in (its ansible_play_hosts, from a
# playbook run: evaluation order, a group's hosts level by level).
set -euo pipefail
cd "$(dirname "$0")/../test/inventory"
play=$(mktemp --suffix=.yml)
trap 'rm -f "$play"' EXIT
json() { python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))'; }
{
  printf '{"ansible_core": "%s", "patterns": {' "$(ansible --version | sed -n 's/.*core \([0-9.]*\).*/\1/p')"
  first=1
  while IFS= read -r p; do
    [ -z "$p" ] && continue
    hosts=$(ANSIBLE_LOCALHOST_WARNING=0 ansible -i farm.ini --list-hosts "$p" 2>/dev/null | tail -n +2 | sed 's/^ *//' | grep -v '^$' || true)
    [ $first -eq 1 ] || printf ','
    first=0
    printf '\n  %s: %s' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$p")" "$(printf '%s\n' "$hosts" | json)"
  done < patterns.txt
  # the order a play runs: farm.ini's patterns, and order.yaml's (children written before hosts)
  for inv in farm.ini order.yaml; do
    [ "$inv" = farm.ini ] && { printf '\n}, "order": {'; list=patterns.txt; } || { printf '\n}, "order_yaml": {'; list=patterns-yaml.txt; }
    first=1
    while IFS= read -r p; do
      [ -z "$p" ] && continue
      printf -- '- hosts: %s\n  gather_facts: false\n  tasks:\n    - debug: {msg: "ORDER {{ ansible_play_hosts | join(\x27 \x27) }}"}\n      run_once: true\n' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$p")" > "$play"
      order=$(ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_NOCOLOR=1 ansible-playbook -i "$inv" -c local "$play" 2>/dev/null | sed -n 's/.*"ORDER \(.*\)".*/\1/p' | tr ' ' '\n' || true)
      [ $first -eq 1 ] || printf ','
      first=0
      printf '\n  %s: %s' "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$p")" "$(printf '%s\n' "$order" | json)"
    done < "$list"
  done
  printf '\n}}\n'
} > patterns.expected.json
echo "recorded $(grep -c . patterns.txt) patterns"
