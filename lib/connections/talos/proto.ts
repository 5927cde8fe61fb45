import { join } from 'node:path';
import { grpc, loader } from '../../source/vendor/grpc.js';
import { packageRoot } from '../../source/index.js';

/** Talos' machine API, loaded from our .proto files (real names and field numbers). */
let cached: grpc.ServiceClientConstructor | undefined;
export function machineService(): grpc.ServiceClientConstructor {
  if (cached) return cached;
  const dir = join(packageRoot, 'lib', 'connections', 'talos', 'proto');
  const def = loader.loadSync(join(dir, 'machine.proto'), { includeDirs: [dir], keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { machine: { MachineService: grpc.ServiceClientConstructor } };
  cached = pkg.machine.MachineService;
  return cached;
}

export const Status = grpc.status;
export type GrpcError = grpc.ServiceError;
