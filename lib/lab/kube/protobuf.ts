import protobuf from 'protobufjs';
import type { KubeObject } from './store.js';

/**
 * client-go sends some bodies as Kubernetes protobuf (helm's release Secrets, `kubectl create ns`):
 * magic `k8s\0`, then a runtime.Unknown envelope whose raw bytes are the typed object. Field
 * numbers are those of k8s.io/api (generated.proto); only the kinds clients send this way.
 */
const PROTO = `
syntax = "proto2";
package k8s;
message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
message Unknown { optional TypeMeta typeMeta = 1; optional bytes raw = 2; optional string contentEncoding = 3; optional string contentType = 4; }
message Time { optional int64 seconds = 1; optional int32 nanos = 2; }
message OwnerReference { optional string kind = 1; optional string name = 3; optional string uid = 4; optional string apiVersion = 5; optional bool controller = 6; optional bool blockOwnerDeletion = 7; }
message ObjectMeta {
  optional string name = 1; optional string generateName = 2; optional string namespace = 3; optional string uid = 5;
  optional string resourceVersion = 6; optional int64 generation = 7; optional Time creationTimestamp = 8;
  map<string, string> labels = 11; map<string, string> annotations = 12; repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
}
message Secret { optional ObjectMeta metadata = 1; map<string, bytes> data = 2; optional string type = 3; map<string, string> stringData = 4; optional bool immutable = 5; }
message ConfigMap { optional ObjectMeta metadata = 1; map<string, string> data = 2; map<string, bytes> binaryData = 3; optional bool immutable = 4; }
message NamespaceSpec { repeated string finalizers = 1; }
message Namespace { optional ObjectMeta metadata = 1; optional NamespaceSpec spec = 2; }
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Unknown = root.lookupType('k8s.Unknown');
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a protobuf request body to the JSON shape; throws for kinds not handled here. */
export function decodeProtobuf(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('protobuf body without the k8s magic prefix');
  const env = Unknown.toObject(Unknown.decode(body.subarray(4))) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  const kind = env.typeMeta?.kind ?? '';
  if (!['Secret', 'ConfigMap', 'Namespace'].includes(kind)) throw new Error(`protobuf body of kind '${kind}' is not supported by the simulator`);
  const type = root.lookupType(`k8s.${kind}`);
  // server-owned metadata (uid, resourceVersion, timestamps) is set or kept by the store
  const o = type.toObject(type.decode(env.raw ?? new Uint8Array()), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>;
  return { apiVersion: env.typeMeta?.apiVersion ?? 'v1', kind, ...o, metadata: (o.metadata as object | undefined) ?? {} } as KubeObject;
}
