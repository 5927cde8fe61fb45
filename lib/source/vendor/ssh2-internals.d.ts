// The two classes of ssh2 that connections/ssh/sign-first.ts and pipelining.ts wrap (ssh2 types
// only its public API). Their prototypes' methods are typed where they are wrapped.
declare module 'ssh2/lib/protocol/Protocol.js' {
  const Protocol: { prototype: object };
  export default Protocol;
}
declare module 'ssh2/lib/protocol/SFTP.js' {
  export const SFTP: { prototype: object };
}
