export { SSHD, freePort, keygen, startSshd, type Sshd } from './sshd.js';
export { delayProxy } from './delay-proxy.js';
export { startDoppler, type DopplerSim } from './doppler.js';
