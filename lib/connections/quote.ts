/** Shell quoting lives in lib/source (every layer quotes); re-exported for the connections and modules that import it here. */
export { shq, sh, argvToShell } from '../source/quote.js';
