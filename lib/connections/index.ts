export type { Connection, ExecOptions, ExecResult, FileStat, TempNotes, WriteOptions } from './types.js';
export { FileOpError, UnreachableError } from './types.js';
export { LocalConnection } from './local.js';
export { MemoryConnection } from './memory.js';
export { sh, shq, argvToShell } from './quote.js';
export { openConnection, connectionKinds, type ConnectOptions, type HostAddress } from './open.js';
export { SshConnection, sshTarget, type SshTarget } from './ssh/index.js';
export { TalosConnection, TalosCallError, talosconfigCreds, talosPki, talosGrpc, type TalosApi, type TalosClient, type SecretsBundle, type CertPair } from './talos/index.js';
export { KubeConnection, KubeClient, KubeHttpError, kubeTools, type KubeApi, type KubeResource, type KubeTools } from './kube/index.js';
