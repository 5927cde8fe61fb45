export { SSHD, freePort, keygen, startSshd, type Sshd } from './sshd.js';
export { startSshServer } from './ssh-server.js';
export { delayProxy } from './delay-proxy.js';
export { startDoppler, type DopplerSim } from './doppler.js';
export { TalosLab, SimTalosNode, type SimCluster, type Faults } from './talos/index.js';
export { installPveSim, startPveHost, readState, type PveHost, type PveState } from './proxmox/index.js';
export { startKubeApi, startChartRepo, type KubeSim, type ChartRepo } from './kube/index.js';
export { startFarm, pidAlive, kubeApiAtBootstrap, type Farm } from './farm.js';
