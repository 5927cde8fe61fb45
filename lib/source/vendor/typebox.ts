/**
 * TypeBox, as the rest of agri-play imports it. Its ESM build is 200 small files, which cost a
 * start-up more than all of agri-play's own modules together. The build (scripts/vendor.mjs)
 * makes each package a file in this folder re-exports one CommonJS file (`NAME.cjs`), with V8's
 * code cache of it beside it, and replaces the file's own output with an ES module that loads
 * them: type-checking sees the package's own types, and the CLI loads one file per package
 * (yaml, nunjucks, commander and picomatch are 110 more files, execa 151), its functions compiled
 * already. TypeBox marks its schemas with `Symbol.for` keys, so schemas from a role that imports
 * the package itself are the same kind.
 */
export * from '@sinclair/typebox';
