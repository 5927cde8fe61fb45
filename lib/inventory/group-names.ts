// Group names as ansible-core's Group(name) makes them (inventory/group.py to_safe_group_name):
// what is not a word character, or a leading digit, is invalid in a group name. ansible.cfg's
// force_valid_group_names (ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS) says what happens to it:
// `never` (the default) keeps it and warns, `ignore` keeps it silently, `always` replaces it with `_`
// and warns, `silently` replaces it without a word. The warning is said once a run, as
// ansible-core's Display says a warning once.
import { processWide, type Pos } from '../source/index.js';

export type GroupCharsMode = 'never' | 'always' | 'ignore' | 'silently';

/** C.INVALID_VARIABLE_NAMES, `^[\d\W]|[^\w]`, as Python's str patterns read it: Unicode words (`Zürich` is valid). */
const INVALID = /^\p{Nd}|[^\p{L}\p{N}_]/gu;

/** to_safe_group_name(force=True): each invalid character `_` (the constructed plugin's names, whatever the setting). */
export const safeGroupName = (name: string): string => name.replace(INVALID, '_');

/** The first group name with invalid characters a run met, for its one warning. */
export interface GroupNameWarning {
  message: string;
  hint: string;
  pos?: Pos;
}

const state = processWide('group-names', () => ({ mode: 'never' as GroupCharsMode, found: undefined as GroupNameWarning | undefined, said: false }));

/** The run's force_valid_group_names (a new run: its warning not yet said). */
export function setGroupChars(mode: GroupCharsMode): void {
  Object.assign(state, { mode, found: undefined, said: false });
}

/** The name a group named `raw` gets (changed only under always/silently); an invalid one is noted for the warning. */
export function groupName(raw: string, pos?: Pos): string {
  INVALID.lastIndex = 0;
  if (!INVALID.test(raw)) return raw;
  const { mode } = state;
  const replace = mode === 'always' || mode === 'silently';
  const safe = replace ? safeGroupName(raw) : raw;
  if ((mode === 'never' || mode === 'always') && !state.found && !state.said) {
    const chars = [...new Set(raw.match(INVALID))].map((c) => `'${c}'`).join(', ');
    state.found = replace
      ? { message: `Invalid characters were found in group names and automatically replaced: ${chars} in '${raw}', now '${safe}'`, hint: "patterns and group_vars/ use the new name; force_valid_group_names = silently says nothing", pos }
      : { message: `Invalid characters were found in group names but not replaced: ${chars} in '${raw}'`, hint: 'force_valid_group_names = always replaces them with _, = ignore says nothing', pos };
  }
  return safe;
}

/** Why an INI child `raw` names no group where force_valid_group_names renames groups, as a hint; undefined otherwise. */
export function renamedGroup(raw: string): string | undefined {
  const safe = safeGroupName(raw);
  if (safe === raw || (state.mode !== 'always' && state.mode !== 'silently')) return undefined;
  return `force_valid_group_names = ${state.mode} renamed [${raw}] to [${safe}], and a name under :children is read as written: write ${safe}`;
}

/** The run's warning, once: undefined when no group name had invalid characters, or it was said. */
export function takeGroupNameWarning(): GroupNameWarning | undefined {
  const w = state.found;
  if (w) Object.assign(state, { found: undefined, said: true });
  return w;
}
