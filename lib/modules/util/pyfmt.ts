// Python's text forms that Ansible's module results carry.

/** Python's str.splitlines (the `_lines` keys Ansible adds). */
const BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;
export function splitlines(s: string): string[] {
  if (!s) return [];
  const lines = s.split(BREAK);
  return new RegExp(`(${BREAK.source})$`).test(s) ? lines.slice(0, -1) : lines;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Python's str(datetime.now()): `2026-12-02 03:35:31.173000`. */
export const pyDatetime = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}000`;
/** Python's str(timedelta) of milliseconds: `0:00:01.002000`. */
export const pyTimedelta = (ms: number): string => `${Math.floor(ms / 3_600_000)}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}000`;
