// @grpc/grpc-js and @grpc/proto-loader (with the protobufjs both use) as one file, loaded with its
// V8 code cache: see typebox.ts and scripts/vendor.mjs (as packages, ≈ 75 ms to load).
export * as grpc from '@grpc/grpc-js';
export * as loader from '@grpc/proto-loader';
