import type { Redactor } from '../vars/index.js';

/** A password in a URL (`https://user:TOKEN@host/…`): the part between `:` and `@`. */
const URL_SECRET = /:\/\/[^/@\s:]*:([^/@\s]{4,})@/g;
/** Argument names whose value ansible-core's modules mark no_log (password, url_password, ssh_key_passphrase, api_key, …); not a secret's name (doppler_secret). */
const SECRET_ARG = /(^|_)(password|passphrase)$|^(api_key|api_token|auth_token|access_token|client_secret)$/;
/** …but this one names a policy (user's always / on_create), not the secret itself. (Narrower than
 * SECRET_NAME, which reads environment and Doppler names: an argument like doppler_secret names a secret.) */
const POLICY_ARG = /^update_password$/;
/** An HTTP Authorization header's value (uri's headers, get_url's). */
const AUTH_HEADER = /^authorization$/i;

/** An argument ansible-core's modules mark no_log (its value is a secret: a password, a token, an Authorization header). */
export const noLogArg = (key: string): boolean => (SECRET_ARG.test(key) && !POLICY_ARG.test(key)) || AUTH_HEADER.test(key);

/**
 * The secrets a module's arguments carry are masked wherever they would show (results, command
 * lines a module returns, events, journals): values of password-like arguments and credentials
 * written into URLs, in any argument, at any depth. Called before the module runs.
 */
export function concealArgs(redactor: Redactor, args: unknown, key = ''): void {
  if (typeof args === 'string') {
    if (key && noLogArg(key) && args.length >= 4) redactor.register(args);
    if (args.includes('://')) for (const m of args.matchAll(URL_SECRET)) redactor.register(m[1]);
  } else if (Array.isArray(args)) for (const v of args) concealArgs(redactor, v, key);
  else if (args && typeof args === 'object' && !(args instanceof Uint8Array)) for (const k of Object.keys(args)) concealArgs(redactor, (args as Record<string, unknown>)[k], k);
}
