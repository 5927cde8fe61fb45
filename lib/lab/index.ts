export { SSHD, freePort, keygen, startSshd, type Sshd } from './sshd.js';
export { delayProxy } from './delay-proxy.js';
