// The tags of YAML as ansible-core's loader reads it (PyYAML's YAML 1.1 booleans and floats, `!vault`,
// `!unsafe`) and PyYAML's reading of a block scalar at the end of the text.
import { visit, isMap, isScalar, isSeq } from './vendor/yaml.js';
import type { Document, Tags } from './vendor/yaml.js';
import { decryptVault, vaultCiphertext, vaultTagged, VaultError } from './vault.js';
import { AwareDate } from './pydatetime.js';
import { PyDate } from './python.js';
import { intOf } from './pyint.js';

type Tag = { tag?: string; test?: RegExp; format?: string; resolve?: (...a: never[]) => unknown };
/**
 * YAML 1.1, as Ansible (PyYAML) reads it: `yes`/`on` are booleans and `0644` is octal. PyYAML does
 * not take a lone `y`/`n` as a boolean, so neither do we; and its floats have a dot and an exponent
 * only with a sign (`1.0e+5`): `1e3`, `5e12`, `1.0e5`, `123e4567` (a short commit id) and `+.5` are text.
 */
export function pyyamlTags(tags: Tags): Tags {
  const out = tags.map((t) => {
    const tag = t as Tag;
    // ints as PyYAML's resolver takes them: a decimal has no leading zero (`09` is text), a sexagesimal
    // one starts with 1-9 (`0:30` is text), a date alone has two-digit month and day (`2024-1-2` is
    // text); `-0` is 0, no float
    if (tag.tag === 'tag:yaml.org,2002:int' && tag.resolve) {
      const resolve = tag.resolve as (...a: unknown[]) => unknown;
      const test = tag.format === undefined ? PYYAML_DECIMAL : tag.format === 'TIME' ? PYYAML_SEXAGESIMAL : tag.test;
      // (read as a bigint, kept as one only past the doubles' safe range: Python's ints are exact)
      const exact = (str: unknown, onError: unknown, opts: object) => resolve(str, onError, { ...opts, intAsBigInt: true }) as bigint;
      return { ...tag, test, resolve: (str: unknown, onError: unknown, opts: object) => intOf(exact(str, onError, opts)) } as typeof t;
    }
    if (tag.tag === 'tag:yaml.org,2002:timestamp' && tag.test?.test('2001-12-14')) return { ...tag, test: PYYAML_TIMESTAMP, resolve: yamlTimestamp } as typeof t;
    // the yaml package's two float forms, told apart by what they take (`1e3` and `1.5`); .inf/.nan stay as they are
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.test?.test('1e3')) return { ...tag, test: PYYAML_EXP } as typeof t;
    if (tag.tag === 'tag:yaml.org,2002:float' && tag.test?.test('1.5')) return { ...tag, test: PYYAML_FLOAT } as typeof t;
    if (tag.tag !== 'tag:yaml.org,2002:bool' || !tag.test) return t;
    return { ...tag, test: new RegExp(tag.test.source.replace('Y|y|', '').replace('N|n|', '')) } as typeof t;
  });
  return [...out, UNSAFE as Tags[number], ...(UNSAFE_COLLECTIONS as unknown as Tags), VAULT as Tags[number]];
}

/**
 * PyYAML's construct_yaml_timestamp of a `YYYY-MM-DD[( |T)hh:mm:ss[.f][Z|±hh[:mm]]]` text (the
 * resolver's test already passed): a naive datetime is the controller's local wall time (as
 * to_datetime and now() make them), one with a zone an AwareDate.
 */
function yamlTimestamp(text: string): Date | undefined {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::?([0-9]{2}))?))?)?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', sec = '0'] = m.slice(1, 7);
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  // (a day alone: datetime.date)
  if (m[4] === undefined) return new PyDate(Date.UTC(+y, +mo - 1, +d));
  if (m[8] === undefined) return new Date(+y, +mo - 1, +d, +h, +mi, +sec, ms);
  const offsetMin = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0));
  return new AwareDate(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms) - offsetMin * 60_000, offsetMin);
}

/** The file being parsed (a `!vault` value's errors name it). */
let parsing = '';
export const setParsing = (file: string): void => void (parsing = file);

/**
 * Ansible's `!vault |` value: its text, decrypted with the run's vault secrets. One that cannot be
 * decrypted fails where it is used, as in ansible-core (a template that raises the error), not at load.
 */
const FAILED = '{{ __agri_vault_failed(';
/** Why a `!vault` value could not be decrypted (undefined for any other value). */
export const vaultFailure = (v: unknown): string | undefined => (typeof v === 'string' && v.startsWith(FAILED) && vaultCiphertext(v) !== undefined ? (JSON.parse(v.slice(FAILED.length, -4)) as string) : undefined);

const VAULT = {
  tag: '!vault',
  resolve: (s: string): string => {
    try {
      return vaultTagged(decryptVault(s, `a !vault value in ${parsing}`, true), s);
    } catch (e) {
      if (!(e instanceof VaultError)) throw e;
      return vaultTagged(`${FAILED}${JSON.stringify(e.message)}) }}`, s);
    }
  },
};

/** PyYAML's ints and timestamps (yaml/resolver.py), where the yaml package takes more. */
const PYYAML_DECIMAL = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const PYYAML_SEXAGESIMAL = /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/;
const PYYAML_TIMESTAMP = /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** PyYAML's float (yaml/resolver.py): digits, a dot, more digits, and an exponent with its sign. */
const PYYAML_EXP = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)[eE][-+][0-9]+$/;
const PYYAML_FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/;

/**
 * Ansible's `!unsafe 'a{{ b }}'`: text never templated. Kept as a template that renders to itself
 * (`{% raw %}…{% endraw %}`), so every place that renders values gives the literal text. A part's
 * leading line ends go before its `{% raw %}`, where trim_blocks would take the first of them.
 */
const rawPart = (p: string): string => {
  const lead = /^[\r\n]*/.exec(p)![0];
  return `${lead}{% raw %}${p.slice(lead.length)}{% endraw %}`;
};
const UNSAFE = {
  tag: '!unsafe',
  resolve: (s: string): string => (/[{][{%#]/.test(s) ? s.split('{% endraw %}').map(rawPart).join("{{ '{% endraw %}' }}") : s),
};

/**
 * `!unsafe [..]` and `!unsafe {..}`: every text inside never templated, keys too (ansible-core's
 * wrap_var of the list or dict).
 */
const unsafeDeep = (n: unknown): void => {
  if (isScalar(n)) {
    if (typeof n.value === 'string') n.value = UNSAFE.resolve(n.value);
  } else if (isSeq(n)) n.items.forEach(unsafeDeep);
  else if (isMap(n)) for (const p of n.items) (unsafeDeep(p.key), unsafeDeep(p.value));
};
const UNSAFE_COLLECTIONS = (['seq', 'map'] as const).map((collection) => ({ tag: '!unsafe', collection, resolve: <T>(c: T): T => (unsafeDeep(c), c) }));

/** Text as `!unsafe` gives it: never templated. */
export const unsafeText = (s: string): string => UNSAFE.resolve(s);

/**
 * A block scalar (`|`, `>`) that ends the text with no line break after it has none at its end, as
 * PyYAML reads it (the yaml package adds one): `content: |` as a file's last lines, an
 * `encrypt_string` value pasted last (its ciphertext, which to_yaml prints, too).
 */
export function unclipAtEnd(doc: Document, text: string): Document {
  if (/[\n\r]$/.test(text)) return doc;
  const end = text.length;
  visit(doc, {
    Scalar(_, n) {
      if ((n.type !== 'BLOCK_LITERAL' && n.type !== 'BLOCK_FOLDED') || n.range?.[1] !== end || typeof n.value !== 'string') return;
      const ciphertext = vaultCiphertext(n.value);
      if (n.tag === '!vault') {
        if (ciphertext?.endsWith('\n')) vaultTagged(n.value, ciphertext.slice(0, -1));
      } else if (n.value.endsWith('\n')) n.value = n.tag === '!unsafe' ? unsafeText(n.value.slice(0, -1)) : n.value.slice(0, -1);
    },
  });
  return doc;
}

