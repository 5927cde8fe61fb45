// Python's datetime arithmetic for templates: a datetime is a JS Date (naive, the controller's local
// time, as to_datetime and now() give it); the difference of two is a timedelta, as
// `((a | to_datetime) - (b | to_datetime)).days` in Ansible's docs needs.

const US_PER_DAY = 86_400_000_000;

/**
 * A datetime with a fixed UTC offset (PyYAML's timestamp written with `Z` or `±hh:mm`): its fields
 * (year … millisecond, weekday) are its wall time at that offset, as Python's aware datetime gives
 * them; str() and isoformat() add the offset (`+00:00`). Two compare and subtract as instants.
 */
export class AwareDate extends Date {
  constructor(
    ms: number,
    readonly offsetMin: number,
  ) {
    super(ms);
  }
  /** `+02:00`, `-05:30`, `+00:00` (utcoffset() as isoformat writes it); `sep` '' for strftime's %z. */
  offset(sep = ':'): string {
    const m = Math.abs(this.offsetMin);
    return `${this.offsetMin < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}${sep}${String(m % 60).padStart(2, '0')}`;
  }
  /** The tzinfo's str(): `UTC`, `UTC+02:00`. */
  zone(): string {
    return this.offsetMin ? `UTC${this.offset()}` : 'UTC';
  }
}

// (its local-time getters, which strftime, str() and the fields read, are the UTC ones of the instant moved by its offset)
for (const f of ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'] as const)
  Object.defineProperty(AwareDate.prototype, `get${f}`, {
    value(this: AwareDate): number {
      return new Date(this.getTime() + this.offsetMin * 60_000)[`getUTC${f}`]();
    },
  });

/** The same kind of datetime as `like` (its offset kept) at another instant. */
const sameKind = (like: Date, us: number): Date => {
  const ms = Math.floor(us / 1000);
  return withMicros(like instanceof AwareDate ? new AwareDate(ms, like.offsetMin) : new Date(ms), us - ms * 1000);
};

/** The microseconds below a Date's millisecond (a Date keeps milliseconds; Python's datetime microseconds ride along as `us`). */
const belowMs = (d: Date): number => (d as { us?: number }).us ?? 0;
/** A datetime's microsecond field. */
export const microsecond = (d: Date): number => d.getMilliseconds() * 1000 + belowMs(d);
/** The Date with `us` microseconds below its millisecond (0 to 999). */
export function withMicros(d: Date, us: number): Date {
  if (us) (d as { us?: number }).us = us;
  return d;
}

/** datetime.timedelta: normalized as Python keeps it (0 ≤ seconds < 86400, 0 ≤ microseconds < 10⁶). */
export class PyTimedelta {
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;

  constructor(totalMicroseconds: number) {
    const us = Math.round(totalMicroseconds);
    this.days = Math.floor(us / US_PER_DAY);
    const rest = us - this.days * US_PER_DAY;
    this.seconds = Math.floor(rest / 1_000_000);
    this.microseconds = rest - this.seconds * 1_000_000;
  }

  get total(): number {
    return (this.days * 86_400 + this.seconds) * 1_000_000 + this.microseconds;
  }

  /** str(): `3 days, 1:00:00`, `-1 day, 23:00:00`, `0:00:01.500000`. */
  str(): string {
    const p = (n: number) => String(n).padStart(2, '0');
    let s = `${Math.floor(this.seconds / 3600)}:${p(Math.floor(this.seconds / 60) % 60)}:${p(this.seconds % 60)}`;
    if (this.days) s = `${this.days} day${Math.abs(this.days) !== 1 ? 's' : ''}, ${s}`;
    return this.microseconds ? `${s}.${String(this.microseconds).padStart(6, '0')}` : s;
  }

  /** (in the run's own JSON, its journal and events: its text) */
  toJSON(): string {
    return this.str();
  }

  /** repr(): `datetime.timedelta(days=3, seconds=3600)`, the zero fields left out. */
  repr(): string {
    const f = [this.days && `days=${this.days}`, this.seconds && `seconds=${this.seconds}`, this.microseconds && `microseconds=${this.microseconds}`].filter(Boolean);
    return `datetime.timedelta(${f.length ? f.join(', ') : '0'})`;
  }
}

/** A datetime's instant in microseconds. */
const micros = (d: Date): number => d.getTime() * 1000 + belowMs(d);

/** a - b where either is a datetime or a timedelta; undefined where Python has no such operation. */
export function dateSub(a: unknown, b: unknown): Date | PyTimedelta | undefined {
  if (a instanceof Date && b instanceof Date) return new PyTimedelta(micros(a) - micros(b));
  if (a instanceof Date && b instanceof PyTimedelta) return sameKind(a, micros(a) - b.total);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.total - b.total);
  return undefined;
}

/** a + b where either is a datetime or a timedelta; undefined where Python has no such operation. */
export function dateAdd(a: unknown, b: unknown): Date | PyTimedelta | undefined {
  if (a instanceof Date && b instanceof PyTimedelta) return sameKind(a, micros(a) + b.total);
  if (a instanceof PyTimedelta && b instanceof Date) return sameKind(b, micros(b) + a.total);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.total + b.total);
  return undefined;
}

/** ISO 8601's week-numbering year and week of a day (%G, %V): weeks start on Monday, week 1 holds the year's first Thursday. */
function isoWeek(y: number, m: number, day: number): [number, number] {
  const t = new Date(Date.UTC(y, m, day));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const year = t.getUTCFullYear();
  return [year, Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7)];
}

/** The local zone's abbreviation at an instant (glibc's tm_zone: `EST`, `CET`). */
const localZone = (d: Date): string => new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '';

/**
 * C's strftime as Python passes formats to it (glibc's directives: `%e`, `%k`, `%U`, `%V`, `%c`…).
 * Without `clock`, datetime.strftime: a naive datetime's %Z and %z are empty, an aware one's its
 * offset. With it, time.strftime of time.localtime or time.gmtime: the fields in that clock, %Z the
 * zone's name (`GMT` for gmtime) and %z its offset.
 */
export function strftime(fmt: string, d: Date, clock?: 'local' | 'utc'): string {
  const p = (n: number, w = 2, fill = '0') => String(n).padStart(w, fill);
  const utc = clock === 'utc' && !(d instanceof AwareDate);
  const [Y, mo, day, H, M, S, w] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCDay()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getDay()];
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const yday0 = (Date.UTC(Y, mo, day) - Date.UTC(Y, 0, 1)) / 86400000;
  const offsetMin = d instanceof AwareDate ? d.offsetMin : utc ? 0 : -d.getTimezoneOffset();
  const offset = `${offsetMin < 0 ? '-' : '+'}${p(Math.floor(Math.abs(offsetMin) / 60))}${p(Math.abs(offsetMin) % 60)}`;
  const map: Record<string, () => string> = {
    Y: () => String(Y),
    C: () => p(Math.floor(Y / 100)),
    y: () => p(Y % 100),
    G: () => String(isoWeek(Y, mo, day)[0]),
    g: () => p(isoWeek(Y, mo, day)[0] % 100),
    m: () => p(mo + 1),
    d: () => p(day),
    e: () => p(day, 2, ' '),
    H: () => p(H),
    k: () => p(H, 2, ' '),
    I: () => p(H % 12 || 12),
    l: () => p(H % 12 || 12, 2, ' '),
    M: () => p(M),
    S: () => p(S),
    f: () => p(microsecond(d), 6),
    p: () => (H < 12 ? 'AM' : 'PM'),
    P: () => (H < 12 ? 'am' : 'pm'),
    a: () => days[w].slice(0, 3),
    A: () => days[w],
    b: () => months[mo].slice(0, 3),
    h: () => months[mo].slice(0, 3),
    B: () => months[mo],
    j: () => p(yday0 + 1, 3),
    U: () => p(Math.floor((yday0 + 7 - w) / 7)),
    W: () => p(Math.floor((yday0 + 7 - ((w + 6) % 7)) / 7)),
    V: () => p(isoWeek(Y, mo, day)[1]),
    w: () => String(w),
    u: () => String(w || 7),
    s: () => String(Math.floor(d.getTime() / 1000)),
    z: () => (d instanceof AwareDate || clock ? offset : ''),
    Z: () => (d instanceof AwareDate ? d.zone() : utc ? 'GMT' : clock ? localZone(d) : ''),
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  const composite: Record<string, string> = { c: '%a %b %e %H:%M:%S %Y', D: '%m/%d/%y', x: '%m/%d/%y', F: '%Y-%m-%d', T: '%H:%M:%S', X: '%H:%M:%S', R: '%H:%M', r: '%I:%M:%S %p' };
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => (composite[c] ? strftime(composite[c], d, clock) : map[c] ? map[c]() : m));
}

/** datetime.isoformat(): `2024-01-02T03:04:05`, with `.ffffff` where there are microseconds. */
export function isoformat(d: Date, sep = 'T'): string {
  return strftime(`%Y-%m-%d${sep}%H:%M:%S`, d) + (microsecond(d) ? `.${String(microsecond(d)).padStart(6, '0')}` : '') + (d instanceof AwareDate ? d.offset() : '');
}

/** datetime's repr(): the second and microsecond only where not zero, an aware one's tzinfo after them. */
export function dateRepr(d: Date): string {
  const f: (number | string)[] = [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
  if (d.getSeconds() || microsecond(d)) f.push(d.getSeconds());
  if (microsecond(d)) f.push(microsecond(d));
  if (d instanceof AwareDate) f.push(`tzinfo=datetime.timezone${d.offsetMin ? `(datetime.timedelta(${d.offsetMin < 0 ? 'days=-1, ' : ''}seconds=${(((d.offsetMin * 60) % 86400) + 86400) % 86400}))` : '.utc'}`);
  return `datetime.datetime(${f.join(', ')})`;
}

