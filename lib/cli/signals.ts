/** SIGINT/SIGTERM: the first asks the run to stop starting steps, the second cancels running ones. */
export function interrupts(): { onInterrupt(cb: (second: boolean, name: string) => void): () => void } {
  return {
    onInterrupt(cb) {
      let count = 0;
      const handler = (name: NodeJS.Signals) => cb(++count > 1, name);
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}
