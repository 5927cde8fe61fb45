// Python 3.11's ntpath.splitdrive and split, for ansible-core's win_splitdrive, win_dirname and
// win_basename filters (a drive letter, a UNC share `\\server\share`, `\\?\UNC\…`, either slash).

/** ntpath.splitdrive: the drive (or UNC share) and the rest. */
export function splitdrive(p: string): [string, string] {
  if (p.length >= 2) {
    const normp = p.replaceAll('/', '\\');
    if (normp.startsWith('\\\\')) {
      const start = normp.slice(0, 8).toUpperCase() === '\\\\?\\UNC\\' ? 8 : 2;
      const index = normp.indexOf('\\', start);
      if (index === -1) return [p, ''];
      const index2 = normp.indexOf('\\', index + 1);
      if (index2 === -1) return [p, ''];
      return [p.slice(0, index2), p.slice(index2)];
    }
    if (normp[1] === ':') return [p.slice(0, 2), p.slice(2)];
  }
  return ['', p];
}

/** ntpath.split: the head (the drive kept, trailing slashes dropped unless it is all slashes) and the last part. */
export function split(path: string): [string, string] {
  const [d, p] = splitdrive(path);
  let i = p.length;
  while (i && p[i - 1] !== '\\' && p[i - 1] !== '/') i--;
  const head = p.slice(0, i);
  return [d + (head.replace(/[\\/]+$/, '') || head), p.slice(i)];
}
