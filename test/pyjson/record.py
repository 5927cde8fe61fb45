#!/usr/bin/python3
# Records CPython's json.loads on generated JSON-ish texts (valid ones, and ones with each kind of
# error) into expected.json, for test/pyjson.test.ts: agri-play's pyJsonLoads must give the same
# value (as json.dumps writes it) or the same JSONDecodeError words. Run: /usr/bin/python3 test/pyjson/record.py
import json, os, random, sys

random.seed(7)
TOKENS = ['{', '}', '[', ']', ',', ':', '"a"', '"b\\\\"', '1', '-', '2.5', '1e3', '1.0', 'true', 'nul', 'null', ' ', '\n',
          '"x', '\\\\q', 'NaN', '-Infinity', '0', '01', '"\\\\u12"', '"\\u00e9"', '\t', 'x', '"\x01"']
cases = []
VALID = ['{"a": [1.0, 2.50, 1e3, -0.0, 1E-2, 7, "\\u00e9\\n", null, true, false], "b": {"c": NaN, "d": -Infinity}}',
         '[[], {}, [[]], {"": ""}, "\\ud83d\\ude00", 0.1, 100000000000000000000.0, 5e-324]', ' \n 42 \t', '"\\/\\b\\f\\r\\t"',
         '{"__proto__": 1, "a": 1, "a": 2}', '-0', '1.5e300', '[1e400]',
         # ints past 2**53 keep every digit (an id, a 64-bit counter), beside the last safe ones
         '[12345678901234567890, -9007199254740993, 9007199254740991, -9007199254740991, 123456789012345678901234567890]',
         '{"id": 18446744073709551615, "n": 9007199254740992, "f": 1234567890123456.0}', '[0.30000000000000004, 12345678901234567.5]']
for s in VALID:
    v = json.loads(s)
    cases.append({'text': s, 'value': json.dumps(v)})
for _ in range(1500):
    s = ''.join(random.choice(TOKENS) for _ in range(random.randint(0, 8)))
    try:
        v = json.loads(s)
        cases.append({'text': s, 'value': 'nan' if v != v else json.dumps(v)})
    except json.JSONDecodeError as e:
        cases.append({'text': s, 'error': str(e)})
out = {'python': sys.version.split()[0], 'cases': cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected.json'), 'w') as f:
    json.dump(out, f, indent=0)
    f.write('\n')
