#!/usr/bin/env python3
"""Records ansible-core's to_yaml and to_nice_yaml of a seeded corpus of values into yaml-dump.json.

Run by `npm run record:yaml` where ansible-core is installed (its filters call yaml.dump with
AnsibleDumper, libyaml's CSafeDumper where PyYAML has it); test/yaml-dump.test.ts renders the same
filters over the same values with agri-play and compares the text. Floats are written as
{"__float__": x} so that 1.0 stays a float in JavaScript.
"""
import json, os, random
import yaml
from ansible import __version__ as ansible_version
from ansible.plugins.filter.core import to_yaml, to_nice_yaml

here = os.path.dirname(os.path.abspath(__file__))
random.seed(20261206)

WORDS = ['farm', 'a', 'yes', 'No', 'on', 'null', '~', '', ' ', '123', '0755', '1.5', '1e3', '.inf', '2024-01-01',
         '2024-01-01 10:00:00', '<<', '=', '!', '&x', '*y', '- item', '-x', ':x', 'a:b', 'a: b', 'a #b', 'a#b', '#c',
         '?x', '? x', '[x]', 'x]', '{y', '@at', '`bt', '%p', '|p', '>p', "it's", 'say "hi"', 'back\\slash', 'tab\there',
         'nl\nnl', 'end\n', '\nstart', 'two\n\nlines', 'sp \nbrk', 'brk\n sp', 'trail ', ' lead', 'h\u00e9llo \u2713',
         'emoji \U0001F600', 'nb\u00a0sp', 'nel\x85x', 'cr\rx', 'bom\ufeffx', 'ctl\x01x', '---', '...', '--- x', 'x---',
         'True', 'FALSE', 'Off', 'y', 'n', '0x1F', '0b101', '+12', '-3', '1_000', '1:30', '190:20:30.15', '.5', '5.',
         'NaN', '.NaN', 'yes please', 'k=v', "'q'", '"dq"']
LONG = ['Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.',
        'x' * 100, 'word ' * 30, "it's a long text with a quote " * 4]


def text():
    n = random.choice([5, 30, 60, 78, 79, 80, 81, 82, 100, 150])
    words = []
    while sum(len(w) + 1 for w in words) < n:
        w = ''.join(random.choice('abcdefghij') for _ in range(random.randint(1, 12)))
        if random.random() < 0.1:
            w += random.choice(['  ', ':', ' #', "'", '"', '\n', '\n\n', ' \n', '\n ', '\u00e9', '\u2713', ',', '\t'])
        words.append(w)
    return ' '.join(words)[:n]


def scalar():
    r = random.random()
    if r < 0.45:
        return random.choice(WORDS + LONG)
    if r < 0.65:
        return text()
    if r < 0.75:
        return random.randint(-1000, 100000)
    if r < 0.85:
        return random.choice([1.0, 0.5, -2.25, 1e20, 1e-7, 3.14159, 100.0, 1e16, 12345.678])
    return random.choice([True, False, None])


def value(depth=0):
    r = random.random()
    if depth > 3 or r < 0.35:
        return scalar()
    if r < 0.65:
        return [value(depth + 1) for _ in range(random.randint(0, 4))]
    keys = WORDS + ['key', 'k' * 130, 'x' * 126, '\u00e9' * 70, LONG[0]]
    return {str(random.choice(keys) if random.random() < 0.7 else text()[:40]): value(depth + 1) for _ in range(random.randint(0, 4))}


def typed(v):
    if isinstance(v, float):
        return {'__float__': v}
    if isinstance(v, list):
        return [typed(x) for x in v]
    if isinstance(v, dict):
        return {k: typed(x) for k, x in v.items()}
    return v


FORMS = [('to_yaml', {}), ('to_nice_yaml', {}), ('to_nice_yaml', {'indent': 2, 'width': 40}), ('to_yaml', {'default_flow_style': False, 'width': 60})]
values = [w for w in WORDS] + [[w] for w in WORDS] + [{w: w} for w in WORDS] + LONG + [value() for _ in range(150)]
cases = []
for i, v in enumerate(values):
    name, kw = FORMS[i % len(FORMS)]
    fn = to_yaml if name == 'to_yaml' else to_nice_yaml
    cases.append({'value': typed(v), 'filter': name, 'kw': kw, 'text': fn(v, **kw)})
with open(os.path.join(here, 'yaml-dump.json'), 'w', encoding='utf-8') as fh:
    json.dump({'ansible_core': ansible_version, 'pyyaml': yaml.__version__, 'libyaml': yaml.__with_libyaml__, 'cases': cases}, fh, ensure_ascii=False, indent=0)
    fh.write('\n')
print(f'recorded {len(cases)} cases with ansible-core {ansible_version} (PyYAML {yaml.__version__}, libyaml {yaml.__with_libyaml__})')
