/** An error a lookup raises as ansible-core's plugin raises an AnsibleError (Templar wraps it as an unhandled one). */
export class AnsibleLookupError extends Error {}
