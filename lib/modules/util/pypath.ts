// Python's posixpath functions where Node's differ (no normalising, a trailing slash kept), for the
// ports of ansible-core's code that build paths with them.

/** os.path.dirname: up to the last slash, trailing slashes dropped (not for the root). */
export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '';
  const head = p.slice(0, i + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

/** os.path.basename: after the last slash ('' for a path ending in one). */
export const pyBasename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** os.path.join of two parts: an absolute second part wins, no normalising. */
export const pyJoin = (a: string, b: string): string => (b.startsWith('/') ? b : a === '' || a.endsWith('/') ? a + b : `${a}/${b}`);
