// picomatch as one file: see typebox.ts.
export { default } from 'picomatch';
