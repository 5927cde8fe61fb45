#!/usr/bin/env python3
"""Records ansible-core's rendering of every corpus case into expected.json.

Run by `npm run record:jinja` (or by hand) where ansible-core is installed; the test
(test/jinja.test.ts) compares agri-play against this file, so CI needs no ansible-core.
Each case is rendered twice, as ansible-core does it:
  text  - as the template module renders a file: Templar.do_template(convert_data=False)
  value - as a task argument is templated: Templar.template() (native-looking values)
and once more, with ANSIBLE_JINJA2_NATIVE=1 (jinja2_native = True), as a task argument only, into
expected-native.json (this script runs itself again for it: the setting is read when ansible loads).
"""
import json, os, subprocess, sys, yaml
from ansible import __version__ as ansible_version
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.utils.unsafe_proxy import AnsibleUnsafeText
from jinja2 import __version__ as jinja_version

here = os.path.dirname(os.path.abspath(__file__))
NATIVE = os.environ.get('ANSIBLE_JINJA2_NATIVE') == '1'
os.environ['AGRI_CORPUS_ENV'] = 'corpus'

def cases():
    with open(os.path.join(here, 'corpus.txt'), encoding='utf-8') as fh:
        for no, line in enumerate(fh, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            yield no, line.replace('\u23ce', '\n')

def typename(v):
    if isinstance(v, bool): return 'bool'
    if isinstance(v, int): return 'int'
    if isinstance(v, float): return 'float'
    if isinstance(v, str): return 'str'
    if v is None: return 'NoneType'
    if isinstance(v, dict): return 'dict'
    if isinstance(v, (list, tuple)): return 'list'
    return type(v).__name__

def plain(v):
    if isinstance(v, dict): return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)): return [plain(x) for x in v]
    if isinstance(v, (bool, int, float, str)) or v is None:
        return str(v) if isinstance(v, AnsibleUnsafeText) else v
    return str(v)

def first_line(e):
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:300]

def main():
    with open(os.path.join(here, 'vars.yaml'), encoding='utf-8') as fh:
        variables = yaml.safe_load(fh)
    variables.update({'inventory_hostname': 'h1', 'groups': {'all': ['h1', 'h2'], 'ungrouped': ['h1', 'h2']}})
    templar = Templar(loader=DataLoader(), variables=variables)
    out = []
    for no, src in cases():
        rec = {'line': no, 'src': src}
        if not NATIVE:
            try:
                t = templar.do_template(src, preserve_trailing_newlines=True, escape_backslashes=False)
                rec['text'] = t if isinstance(t, str) else str(t)
            except Exception as e:
                rec['text_error'] = first_line(e)
        try:
            v = templar.template(src)
            rec['value'] = plain(v)
            rec['type'] = typename(v)
        except Exception as e:
            rec['value_error'] = first_line(e)
        out.append(rec)
    doc = {'ansible_core': ansible_version, 'jinja2': jinja_version, 'cases': out}
    with open(os.path.join(here, 'expected-native.json' if NATIVE else 'expected.json'), 'w', encoding='utf-8') as fh:
        json.dump(doc, fh, indent=1, ensure_ascii=False)
        fh.write('\n')
    print(f'{len(out)} cases recorded with ansible-core {ansible_version}, Jinja2 {jinja_version}{" (jinja2_native)" if NATIVE else ""}')
    if not NATIVE:
        subprocess.run([sys.executable, os.path.abspath(__file__)], env={**os.environ, 'ANSIBLE_JINJA2_NATIVE': '1'}, check=True)

if __name__ == '__main__':
    main()
