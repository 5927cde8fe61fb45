/**
 * ansible-core 2.14's apt_repository SourcesList: one-line apt sources (`deb`/`deb-src`) in
 * sources.list and sources.list.d/*.list, each line parsed into (valid, enabled, source, comment)
 * and written back normalized; "changed" is a difference in that normalized dump.
 */
export interface SourceLine {
  n: number;
  valid: boolean;
  enabled: boolean;
  source: string;
  comment: string;
}
export type SourceFiles = Map<string, SourceLine[]>;

const TYPES = ['deb', 'deb-src'];

/** SourcesList._parse. */
export function parseSource(raw: string): Omit<SourceLine, 'n'> {
  let line = raw.trim();
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) ((enabled = false), (line = line.slice(1)));
  const i = line.indexOf('#');
  if (i > 0) ((comment = line.slice(i + 1).trim()), (line = line.slice(0, i)));
  let source = line.trim();
  let valid = false;
  if (source) {
    const chunks = source.split(/\s+/);
    if (TYPES.includes(chunks[0])) ((valid = true), (source = chunks.join(' ')));
  }
  return { valid, enabled, source, comment };
}

export function loadSources(text: string): SourceLine[] {
  const lines = text.split(/(?<=\n)/).filter((l) => l !== '');
  return lines.map((l, n) => ({ n, ...parseSource(l) }));
}

/** SourcesList.dump: each file that has lines, as save() would write it. */
export function dumpSources(files: SourceFiles): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, lines] of files) if (lines.length) out.set(file, lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join(''));
  return out;
}

/**
 * _suggest_filename: the first part of the line after the type, without options, scheme and
 * user:password, its non-alphanumerics as `_` (`deb http://dl.example.com/apt stable main` →
 * `dl_example_com_apt.list`), or `filename` given.
 */
export function suggestFilename(line: string, filename?: string): string {
  const stripped = line.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = stripped.split(/\s+/).filter((p) => p && !TYPES.includes(p));
  let first = parts[0] ?? '';
  if (first.includes('@')) first = first.split('@').slice(1).join('@');
  return `${filename ?? first.replace(/[^a-zA-Z0-9]/g, ' ').split(/\s+/).filter(Boolean).join('_')}.list`;
}

/** _add_valid_source: every line with this source (even commented out) enabled, else the line added to `file`. Returns the file it was added to, if any. */
export function addSource(files: SourceFiles, source: string, file: string): string | undefined {
  let found = false;
  for (const lines of files.values())
    for (const l of lines)
      if (l.valid && l.source === source) {
        lines[l.n] = { ...lines[l.n], enabled: true };
        found = true;
      }
  if (found) return undefined;
  const lines = files.get(file) ?? [];
  files.set(file, lines);
  lines.push({ n: lines.length, valid: true, enabled: true, source, comment: '' });
  return file;
}

/** _remove_valid_source: each enabled line with this source popped at its index, walking each list as Python's iterator does while it shrinks. */
export function removeSource(files: SourceFiles, source: string): void {
  for (const lines of files.values()) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      if (l.valid && l.enabled && l.source === source) lines.splice(l.n, 1);
    }
  }
}
