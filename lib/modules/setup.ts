import { Type } from '../source/vendor/typebox.js';
import picomatch from '../source/vendor/picomatch.js';
import { defineModule, ModuleFailure } from './types.js';
import { FACTS_SCRIPT, interfaceFact, parseFacts } from './util/facts.js';
import { collectorOfFact, collectorsOf } from './util/fact-subsets.js';
import { SECRET_NAME } from '../source/index.js';
import { shq } from '../connections/quote.js';

const Args = Type.Object(
  {
    gather_subset: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: "The facts' collectors to keep, as ansible-core's: all (the default), min, hardware, network, virtual, a collector's or a fact's name, `!name` to leave one out ('!all' keeps min)." })),
    gather_timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Accepted for Ansible (one round trip).' })),
    fact_path: Type.Optional(Type.String({ description: "The folder of the host's local facts (*.fact files: JSON or INI, or executables that print it), ansible_local; default /etc/ansible/facts.d." })),
    filter: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Only facts whose name matches these shell-style patterns.' })),
  },
  { additionalProperties: false, description: 'The fact set in one round trip.' },
);

const UNPREFIXED = new Set(['gather_subset', 'module_setup', 'ansible_local', 'discovered_interpreter_python']);

export default defineModule({
  name: 'setup',
  kind: 'action',
  description: "Gathers Ansible's facts (hostname, distribution*, os_family, python, user_*, env, date_time, memory, interfaces and addresses, pkg_mgr, service_mgr, dns, ssh host keys, …) in one round trip; what `gather_facts` runs.",
  args: Args,
  async run(ctx, a) {
    const fp = a.fact_path ?? '/etc/ansible/facts.d';
    const subset = a.gather_subset === undefined ? ['all'] : Array.isArray(a.gather_subset) ? a.gather_subset : a.gather_subset.split(',').map((x) => x.trim());
    const collectors = collectorsOf(subset);
    // (the script reads the network and the devices and mounts only for a subset that has them)
    const gates = ['network', 'hardware'].map((c) => `g_${c}=${collectors.has(c) ? 1 : ''}\n`).join('');
    const r = await ctx.exec({ shell: `fp=${shq(fp)}\n${gates}${FACTS_SCRIPT}` });
    if (r.rc !== 0) throw new ModuleFailure(`gathering facts failed: ${r.stderr || `exit ${r.rc}`}`);
    const f = parseFacts(r.stdout, fp);
    const { discovered_interpreter_python: discovered } = f;
    delete f.discovered_interpreter_python;
    // (what the subset leaves out and the script read anyway is dropped, as ansible-core does not collect it)
    const interfaces = new Set(((f.interfaces as string[] | undefined) ?? []).map(interfaceFact));
    for (const k of Object.keys(f)) {
      const c = collectorOfFact(k, interfaces);
      if (c !== undefined && !collectors.has(c)) delete f[k];
    }
    f.gather_subset = subset;
    f.module_setup = true;
    // the host's environment may hold tokens: values of secret-looking names are redacted wherever shown
    for (const [k, v] of Object.entries((f.env ?? {}) as Record<string, string>)) if (SECRET_NAME.test(k) && v.length >= 8) ctx.conceal(v);
    // (an empty pattern filters nothing, as ansible-core's)
    const patterns = a.filter === undefined ? [] : (Array.isArray(a.filter) ? a.filter : [a.filter]).filter((p) => p !== '');
    if (patterns.length) {
      const keep = patterns.map((p) => picomatch(p.replace(/^ansible_/, '')));
      for (const k of Object.keys(f)) if (!keep.some((m) => m(k))) delete f[k];
    }
    // (ansible-core's action adds the interpreter it discovered, whatever the subset or filter: where the host names none, at its first discovery)
    const facts0 = ctx.vars.ansible_facts as Record<string, unknown> | undefined;
    if (ctx.vars.ansible_python_interpreter === undefined && facts0?.discovered_interpreter_python === undefined) f.discovered_interpreter_python = discovered;
    // as ansible-core's setup returns them: each as ansible_<name> (gather_subset, module_setup and ansible_local as they are)
    const facts = Object.fromEntries(Object.entries(f).map(([k, v]) => [UNPREFIXED.has(k) ? k : `ansible_${k}`, v]));
    // the registered result holds them as the module returned them (ansible_hostname, …); ansible_facts.hostname is the namespaced view
    return { facts, data: { ansible_facts: facts } };
  },
});
