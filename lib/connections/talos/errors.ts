/** A gRPC failure with its code name, e.g. AlreadyExists (the engine decides what is fine). Kept apart from the gRPC client so checking for it loads nothing heavy. */
export class TalosCallError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    readonly details: string,
  ) {
    super(`${codeName}: ${details}`);
    this.name = 'TalosCallError';
  }
}
