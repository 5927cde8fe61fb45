#!/usr/bin/python3
# WANT_JSON
# A module that prints what `mode` asks around its JSON answer: as an async task, ansible-core's
# async_wrapper keeps its stderr, warns of text after the JSON, and fails when there is no JSON.
import json
import sys

args = json.load(open(sys.argv[1]))
mode = args.get('mode', '')
if mode == 'leading':
    print('leading junk before module output')
if mode == 'stderr':
    print('printed to stderr', file=sys.stderr)
if mode == 'exception':
    raise Exception('failing via exception')
print(json.dumps({'changed': True}))
if mode == 'trailing':
    print('trailing junk after module output')
