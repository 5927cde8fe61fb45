/**
 * POSIX shell quoting for one word. zx's `quote` emits bash's $'…' form, which dash and
 * busybox ash (the /bin/sh of Debian and Alpine hosts) do not understand, so we quote
 * the portable way: single quotes, with each ' written as '\''.
 */
export function shq(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A tagged template that quotes every interpolated value: sh`rm -f ${path}`. */
export function sh(strings: TemplateStringsArray, ...values: (string | number | string[])[]): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += (Array.isArray(v) ? v.map((x) => shq(String(x))).join(' ') : shq(String(v))) + strings[i + 1];
  });
  return out;
}

export function argvToShell(argv: string[]): string {
  return argv.map(shq).join(' ');
}
