// ansible.builtin.template as a lookup: a template file (found in templates/ of the role and
// playbook, as the lookup's find_file_in_search_path), rendered with the variables of the
// template it is called from, the template_* variables ansible-core adds, and `template_vars`.
import { readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { addLookup, findFile, LookupError } from './jinja/lookups.js';
import { isDict, str } from '../source/python.js';
import { renderText } from './template.js';

const SUPPORTED = new Set(['template_vars', 'convert_data', 'jinja2_native']);

addLookup('template', (terms, { vars, kw }) => {
  const odd = Object.keys(kw).find((k) => !SUPPORTED.has(k) && k !== 'errors' && k !== 'wantlist');
  if (odd) throw new LookupError(`the template lookup's '${odd}' is not supported by agri-play`);
  return terms.map((t) => {
    const name = str(t);
    const file = findFile(name, vars, 'templates');
    if (!file) throw new LookupError(`the template file ${name} could not be found for the lookup`);
    const st = statSync(file);
    const extra = {
      template_host: hostname(),
      template_path: name,
      template_fullpath: file,
      template_mtime: new Date(st.mtimeMs),
      template_uid: st.uid === userInfo().uid ? userInfo().username : String(st.uid),
      template_run_date: new Date(),
      ...(isDict(kw.template_vars) ? kw.template_vars : {}),
    };
    return renderText(readFileSync(file, 'utf8'), { ...vars, ...extra });
  });
});
