export { SshConnection } from './client.js';
export { sshTarget, readSshConfig, type SshTarget, type SshDefaults } from './config.js';
export { verifyHostKey, knownHostsName, fingerprint } from './known-hosts.js';
