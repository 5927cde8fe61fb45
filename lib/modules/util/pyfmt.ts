// Python's text forms that Ansible's module results carry.

/** Python's str.splitlines (the `_lines` keys Ansible adds). */
export { splitlines } from '../../source/pystr.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** The time now, in milliseconds since the epoch to the microsecond (Python's datetime.now() has microseconds; Date.now() has none). */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
/** Python's `.ffffff` of a time's microseconds, none when they are 0 (as str(datetime) and str(timedelta) leave them out). */
const micros = (us: number): string => (us ? `.${pad(us, 6)}` : '');
/** Python's str(datetime.now()) of a time from preciseNow: `2026-12-02 03:35:31.173482`. */
export const pyDatetime = (ms: number): string => {
  const d = new Date(Math.floor(ms));
  const us = Math.floor(ms * 1000) % 1_000_000;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${micros(us)}`;
};
/** Python's str(timedelta) of milliseconds (to the microsecond): `0:00:01.002318`. */
export const pyTimedelta = (ms: number): string => {
  const us = Math.round(ms * 1000);
  const s = Math.floor(us / 1_000_000);
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${micros(us % 1_000_000)}`;
};
