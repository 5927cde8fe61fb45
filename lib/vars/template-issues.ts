import nunjucks from '../source/vendor/nunjucks.js';
import { hasLookup } from './jinja/lookups.js';
import { cleanMessage, compile, environment, hasTemplate, TemplateSyntax } from './template.js';

/** What is wrong with a template that can be told without rendering it. */
export interface TemplateIssues {
  /** A syntax error (Jinja would refuse the template). */
  syntax?: string;
  /** Filters, tests and lookups the template names that agri-play does not have. */
  unknown: string[];
}

const LOOKUP_CALLS = new Set(['lookup', 'query', 'q']);

/** What a template names, read from its syntax tree once per text (a TypeScript role's tasks are checked for every host). */
interface Named {
  syntax?: string;
  filters: string[];
  tests: string[];
  lookups: string[];
}
const namedCache = new Map<string, Named>();

function namedIn(text: string): Named {
  let named = namedCache.get(text);
  if (named) return named;
  const parser = (nunjucks as unknown as { parser: { parse(s: string, ...rest: unknown[]): unknown } }).parser;
  const parse = parser.parse;
  let ast: unknown;
  try {
    // the tree is read as compile parses it (before nunjucks transforms it), not parsed a second time
    parser.parse = (s, ...rest) => {
      const tree = parse(s, ...rest);
      // (the environment made by this first compile parses templates of its own)
      if (s === text) ast ??= tree;
      return tree;
    };
    try {
      compile(text);
    } finally {
      parser.parse = parse;
    }
    ast ??= parse(text);
  } catch (err) {
    named = { syntax: err instanceof TemplateSyntax ? err.message : cleanMessage((err as Error).message), filters: [], tests: [], lookups: [] };
    namedCache.set(text, named);
    return named;
  }
  const filters = new Set<string>();
  const tests = new Set<string>();
  const lookups = new Set<string>();
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const node = n as { typename?: string; name?: { value?: unknown; typename?: string }; right?: { name?: { value?: unknown }; value?: unknown }; args?: { children?: unknown[] }; fields?: string[]; children?: unknown[] } & Record<string, unknown>;
    if (node.typename === 'Filter' && typeof node.name?.value === 'string') filters.add(node.name.value);
    if (node.typename === 'Is') {
      const t = node.right?.name?.value ?? node.right?.value;
      if (typeof t === 'string') tests.add(t);
    }
    if (node.typename === 'FunCall' && node.name?.typename === 'Symbol' && LOOKUP_CALLS.has(String(node.name.value))) {
      const first = node.args?.children?.[0] as { typename?: string; value?: unknown } | undefined;
      if (first?.typename === 'Literal' && typeof first.value === 'string') lookups.add(first.value);
    }
    for (const f of node.fields ?? []) walk(node[f]);
    if (Array.isArray(node.children)) node.children.forEach(walk);
  };
  walk(ast);
  named = { filters: [...filters], tests: [...tests], lookups: [...lookups] };
  if (namedCache.size > 20000) namedCache.clear();
  namedCache.set(text, named);
  return named;
}

/** Parses a template (or a bare expression, as in `when:`) and names unknown filters, tests and lookups (against the plugins known now). */
export function templateIssues(src: string, bare = false): TemplateIssues {
  if (!bare && !hasTemplate(src)) return { unknown: [] };
  const named = namedIn(bare ? `{{ ${src} }}` : src);
  if (named.syntax !== undefined) return { syntax: named.syntax, unknown: [] };
  const e = environment();
  return {
    unknown: [
      ...named.filters.filter((f) => !(f in e.filters)).map((f) => `filter '${f}'`),
      ...named.tests.filter((t) => !(t in e.tests)).map((t) => `test '${t}'`),
      ...named.lookups.filter((l) => !hasLookup(l)).map((l) => `lookup '${l}'`),
    ],
  };
}
