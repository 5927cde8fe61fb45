#!/usr/bin/env python3
"""Renders templates given on stdin (a JSON list of texts) as ansible-core does, one result each, as
record.py records a corpus case (text, value, type, or the errors' first lines), to stdout as JSON.

Used by `npm run jinja-diff` (scripts/jinja-diff.ts), which generates the templates and compares
agri-play's rendering of each with this one. Non-finite floats are written as {"float": "nan"}.
"""
import copy, json, math, os, sys, yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib
record = importlib.import_module('record')
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar


def finite(v):
    if isinstance(v, float) and not math.isfinite(v): return {'float': str(v)}
    if isinstance(v, dict): return {k: finite(x) for k, x in v.items()}
    if isinstance(v, list): return [finite(x) for x in v]
    return v


def main():
    with open(os.path.join(record.here, 'vars.yaml'), encoding='utf-8') as fh:
        variables = yaml.safe_load(fh)
    variables.update({'inventory_hostname': 'h1', 'groups': {'all': ['h1', 'h2'], 'ungrouped': ['h1', 'h2']}})
    out = []
    for src in json.load(sys.stdin):
        # a fresh Templar each: a case's list mutations (`l.append(1)`) must not reach the next
        templar = Templar(loader=DataLoader(), variables=copy.deepcopy(variables))
        rec = {}
        try:
            t = templar.do_template(src, preserve_trailing_newlines=True, escape_backslashes=False)
            rec['text'] = t if isinstance(t, str) else str(t)
        except BaseException as e:
            rec['text_error'] = type(e).__name__ + ': ' + record.first_line(e)
        try:
            v = templar.template(src)
            rec['value'] = finite(record.plain(v))
            rec['type'] = record.typename(v)
        except BaseException as e:
            rec['value_error'] = type(e).__name__ + ': ' + record.first_line(e)
        out.append(rec)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main()
