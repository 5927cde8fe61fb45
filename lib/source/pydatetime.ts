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
const sameKind = (like: Date, ms: number): Date => (like instanceof AwareDate ? new AwareDate(ms, like.offsetMin) : new Date(ms));

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

/** The microseconds of a datetime (a Date keeps milliseconds). */
const micros = (d: Date): number => d.getTime() * 1000;

/** a - b where either is a datetime or a timedelta; undefined where Python has no such operation. */
export function dateSub(a: unknown, b: unknown): Date | PyTimedelta | undefined {
  if (a instanceof Date && b instanceof Date) return new PyTimedelta(micros(a) - micros(b));
  if (a instanceof Date && b instanceof PyTimedelta) return sameKind(a, (micros(a) - b.total) / 1000);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.total - b.total);
  return undefined;
}

/** a + b where either is a datetime or a timedelta; undefined where Python has no such operation. */
export function dateAdd(a: unknown, b: unknown): Date | PyTimedelta | undefined {
  if (a instanceof Date && b instanceof PyTimedelta) return sameKind(a, (micros(a) + b.total) / 1000);
  if (a instanceof PyTimedelta && b instanceof Date) return sameKind(b, (micros(b) + a.total) / 1000);
  if (a instanceof PyTimedelta && b instanceof PyTimedelta) return new PyTimedelta(a.total + b.total);
  return undefined;
}

/** Python's time.strftime for the common directives. */
export function strftime(fmt: string, d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const start = new Date(d.getFullYear(), 0, 1);
  const yday = Math.floor((d.getTime() - start.getTime()) / 86400000) + 1;
  const map: Record<string, () => string> = {
    Y: () => String(d.getFullYear()),
    y: () => p(d.getFullYear() % 100),
    m: () => p(d.getMonth() + 1),
    d: () => p(d.getDate()),
    H: () => p(d.getHours()),
    I: () => p(d.getHours() % 12 || 12),
    M: () => p(d.getMinutes()),
    S: () => p(d.getSeconds()),
    f: () => p(d.getMilliseconds() * 1000, 6),
    p: () => (d.getHours() < 12 ? 'AM' : 'PM'),
    a: () => days[d.getDay()].slice(0, 3),
    A: () => days[d.getDay()],
    b: () => months[d.getMonth()].slice(0, 3),
    B: () => months[d.getMonth()],
    j: () => p(yday, 3),
    w: () => String(d.getDay()),
    s: () => String(Math.floor(d.getTime() / 1000)),
    z: () => (d instanceof AwareDate ? d.offset('') : ''),
    Z: () => (d instanceof AwareDate ? d.zone() : ''),
    '%': () => '%',
  };
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => (map[c] ? map[c]() : m));
}

/** datetime.isoformat(): `2024-01-02T03:04:05`, with `.ffffff` where there are microseconds. */
export function isoformat(d: Date, sep = 'T'): string {
  return strftime(`%Y-%m-%d${sep}%H:%M:%S`, d) + (d.getMilliseconds() ? `.${String(d.getMilliseconds() * 1000).padStart(6, '0')}` : '') + (d instanceof AwareDate ? d.offset() : '');
}

/** datetime's repr(): the second and microsecond only where not zero, an aware one's tzinfo after them. */
export function dateRepr(d: Date): string {
  const f: (number | string)[] = [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
  if (d.getSeconds() || d.getMilliseconds()) f.push(d.getSeconds());
  if (d.getMilliseconds()) f.push(d.getMilliseconds() * 1000);
  if (d instanceof AwareDate) f.push(`tzinfo=datetime.timezone${d.offsetMin ? `(datetime.timedelta(${d.offsetMin < 0 ? 'days=-1, ' : ''}seconds=${(((d.offsetMin * 60) % 86400) + 86400) % 86400}))` : '.utc'}`);
  return `datetime.datetime(${f.join(', ')})`;
}

