/** A list of one item (of one item …) is that item (community.general's flattened: _check_list_of_one_list). */
const oneOfOne = (t: unknown): unknown => (Array.isArray(t) && t.length === 1 ? oneOfOne(t[0]) : t);

/**
 * community.general's flattened lookup (`with_flattened`; ansible-core routes the short name to it):
 * lists flattened all the way down. A string is templated again (its ends stripped) and taken as
 * what that gives unless it gives the string itself; the string 'None' or 'null' ends the list
 * there (the plugin's `break`, not a skip).
 */
export function flattened(terms: unknown[], render: (s: string) => unknown): unknown[] {
  const out: unknown[] = [];
  for (let term of terms) {
    term = oneOfOne(term);
    if (term === 'None' || term === 'null') break;
    if (typeof term === 'string') {
      // (listify_lookup_plugin_terms: a string or anything not iterable becomes a list of one)
      const t = render(term.trim());
      const listed = typeof t === 'string' || t === null || typeof t !== 'object' ? [t] : t;
      if (!(Array.isArray(listed) && listed.length === 1 && listed[0] === term)) term = listed;
    }
    if (Array.isArray(term)) out.push(...flattened(term, render));
    else out.push(term);
  }
  return out;
}
