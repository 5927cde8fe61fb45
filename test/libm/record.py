#!/usr/bin/env python3
"""Records Python's math.log, math.log10 and math.pow (this machine's C library: glibc) for a fixed
set of random arguments into expected.json, which test/libm.test.ts compares lib/source/libm.ts with.
Run by hand where Python is (`/usr/bin/python3 test/libm/record.py`); the test itself needs no Python."""
import json, math, os, platform, random

random.seed(20261207)
cases = []
for i in range(400):
    k = random.random()
    x = random.uniform(0, 100) if k < 0.4 else (10 ** random.uniform(-300, 300) if k < 0.7 else float(random.randint(1, 10 ** 6)))
    y = random.uniform(-5, 5) if random.random() < 0.5 else 1.0 / random.randint(2, 12)
    try:
        p = math.pow(x, y)
    except OverflowError:
        p = None
    cases.append({'x': x, 'y': y, 'log': math.log(x), 'log10': math.log10(x), 'pow': p})
out = {'libc': ' '.join(platform.libc_ver()), 'python': platform.python_version(), 'cases': cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'expected.json'), 'w') as fh:
    # (a case a line)
    head = json.dumps({k: v for k, v in out.items() if k != 'cases'})[:-1]
    fh.write(head + ', "cases": [\n' + ',\n'.join(json.dumps(c) for c in cases) + '\n]}\n')
print(f"{len(cases)} cases recorded with {out['libc']}, Python {out['python']}")
