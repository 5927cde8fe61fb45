// execa as one file, loaded with its V8 code cache: see typebox.ts and scripts/vendor.mjs (its ES
// modules, 151 files with their dependencies, took ≈ 100 ms to import: a local step's first run).
export { execa } from 'execa';
