// ansible.builtin.template as a lookup: a template file (found in templates/ of the role and
// playbook, as the lookup's find_file_in_search_path), rendered with the variables of the
// template it is called from, the template_* variables ansible-core adds, and `template_vars`.
import { readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { addLookup, findFile, LookupError } from './jinja/lookups.js';
import { isDict, str } from '../source/python.js';
import { devault } from '../source/vault.js';
import { converted } from '../source/pyliteral.js';
import { jinjaTags } from '../source/jinja-native.js';
import { hasTemplate, renderText } from './template.js';
import { kept } from './kept-text.js';

// (ansible-core 2.14's template lookup takes the variable and comment delimiters, not the block ones)
const SUPPORTED = new Set(['template_vars', 'convert_data', 'jinja2_native', 'variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string']);

addLookup('template', (terms, { vars, kw }) => {
  const odd = Object.keys(kw).find((k) => !SUPPORTED.has(k) && k !== 'errors' && k !== 'wantlist');
  if (odd) throw new LookupError(`the template lookup's '${odd}' is not supported by agri-play`);
  const tags = jinjaTags(kw);
  const opts = Object.keys(tags).length ? { trimBlocks: true, lstripBlocks: false, tags } : undefined;
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
    // (a vaulted template file is read decrypted, as ansible-core's lookup reads it)
    const raw = devault(readFileSync(file), file).toString('utf8');
    // (a text with a template in it goes through Jinja's lexer, which reads \r\n and \r as one newline each; one without is given back as it is)
    const source = raw.includes('\r') && hasTemplate(raw) ? raw.replace(/\r\n?/g, '\n') : raw;
    const text = renderText(source, { ...vars, ...extra }, opts);
    // (convert_data, its default: text that reads as a dict, list or bool is one, as ansible-core's templar gives it)
    if (kw.convert_data !== false) return converted(text);
    return kept(text);
  });
});
