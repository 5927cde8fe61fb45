// semver as one file: see typebox.ts.
export { default } from 'semver';
