/**
 * TypeBox, as the rest of agri-play imports it. Its ESM build is 200 small files, which cost a
 * start-up more than all of agri-play's own modules together. The build (scripts/build.mjs)
 * replaces the output of each file in this folder with one esbuild bundle of the package it
 * re-exports, so type-checking sees the package's own types and the CLI loads one file per
 * package (yaml, nunjucks, commander and picomatch are 150 more files). TypeBox marks its schemas with
 * `Symbol.for` keys, so schemas from a role that imports the package itself are the same kind.
 */
export * from '@sinclair/typebox';
