// The nodes the representer makes for the emitter, and the emitter's analysis of a scalar's text
// (libyaml's yaml_emitter_analyze_scalar): lib/vars/jinja/pyyaml-dump.ts.

export type Scalar = { t: 'scalar'; tag: string; value: string; style?: string; implicit: [boolean, boolean] };
export type Seq = { t: 'seq'; items: YNode[]; flow: boolean };
export type YMap = { t: 'map'; pairs: [YNode, YNode][]; flow: boolean };
export type YNode = (Scalar | Seq | YMap) & { anchor?: string };

export interface DumpOptions {
  indent?: number;
  width?: number;
  /** null: collections of scalars only are written inline (PyYAML's default); true/false: all or none. */
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  explicitStart?: boolean;
  explicitEnd?: boolean;
  defaultStyle?: string;
  allowUnicode?: boolean;
  lineBreak?: string;
}

// (libyaml's IS_BREAK: \r too)
export const BREAKS = '\r\n\x85\u2028\u2029';
export const isBreak = (ch: string | undefined): boolean => ch !== undefined && BREAKS.includes(ch);
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

/** libyaml's IS_PRINTABLE: not NEL, not the BOM, nothing beyond the Basic Multilingual Plane. */
export const printable = (cp: number): boolean => cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);

export interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingle: boolean;
  allowBlock: boolean;
}

/** Emitter.analyze_scalar. */
export function analyze(s: string, allowUnicode: boolean): Analysis {
  if (!s) return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingle: true, allowBlock: false };
  const chars = [...s];
  let block = false;
  let flow = false;
  let lineBreaks = false;
  let special = false;
  let [leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak] = [false, false, false, false, false, false];
  if (s.startsWith('---') || s.startsWith('...')) block = flow = true;
  let precededByWs = true;
  let followedByWs = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1]);
  let prevSpace = false;
  let prevBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flow = block = true;
      if ('?:'.includes(ch)) {
        flow = true;
        if (followedByWs) block = true;
      }
      if (ch === '-' && followedByWs) flow = block = true;
    } else {
      if (',?[]{}'.includes(ch)) flow = true;
      if (ch === ':') {
        flow = true;
        if (followedByWs) block = true;
      }
      if (ch === '#' && precededByWs) flow = block = true;
    }
    if (isBreak(ch)) lineBreaks = true;
    const cp = ch.codePointAt(0)!;
    if (!printable(cp) || (cp > 0x7f && !allowUnicode)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = SPACE_OR_BREAK.includes(ch);
    followedByWs = i + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[i + 2]);
  }
  const a: Analysis = { empty: false, multiline: lineBreaks, allowFlowPlain: true, allowBlockPlain: true, allowSingle: true, allowBlock: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.allowFlowPlain = a.allowBlockPlain = false;
  if (trailingSpace) a.allowBlock = false;
  if (breakSpace) a.allowFlowPlain = a.allowBlockPlain = a.allowSingle = false;
  if (spaceBreak || special) a.allowFlowPlain = a.allowBlockPlain = a.allowSingle = a.allowBlock = false;
  if (lineBreaks) a.allowFlowPlain = a.allowBlockPlain = false;
  if (flow) a.allowFlowPlain = false;
  if (block) a.allowBlockPlain = false;
  return a;
}

export const ESCAPES: Record<string, string> = { '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0A': 'n', '\x0B': 'v', '\x0C': 'f', '\x0D': 'r', '\x1B': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xA0': '_', '\u2028': 'L', '\u2029': 'P' };
