/** The ansible-core release whose behaviour agri-play keeps (its tests record that release's results): ansible_version, and the version a library module is told. */
export const ANSIBLE_CORE_VERSION = '2.14.18';

/** The ansible_version variable, as ansible-core's CLI.version_info(gitinfo=False) makes it. */
export function ansibleVersionVar(): Record<string, unknown> {
  const [major, minor, revision] = ANSIBLE_CORE_VERSION.split('.').map(Number);
  return { string: ANSIBLE_CORE_VERSION, full: ANSIBLE_CORE_VERSION, major, minor, revision };
}
