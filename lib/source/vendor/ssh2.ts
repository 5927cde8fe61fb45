// ssh2 as one file, loaded with its V8 code cache: see typebox.ts and scripts/vendor.mjs (as a
// package, 40 files, ≈ 50 ms to load). Its native crypto binding stays the package's own file.
export { default, Client, utils } from 'ssh2';
export type { AuthMethod, ClientChannel, ParsedKey, SFTPWrapper, Stats } from 'ssh2';
// the bundle's own Protocol and SFTP classes, which sign-first.ts and pipelining.ts wrap (a
// require of the package's files would wrap another copy's, which no connection here uses)
export { default as Protocol } from 'ssh2/lib/protocol/Protocol.js';
export { SFTP } from 'ssh2/lib/protocol/SFTP.js';
