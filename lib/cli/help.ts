/** Each command's own usage and examples (`agri-play COMMAND [SUB] --help`); printing one touches nothing. */
export const HELP: Record<string, string> = {
  lab: `usage: agri-play lab [run] [--faults] [--json] [-e VAR=VALUE]
       agri-play lab up [--faults] | site [PLAYBOOK OPTIONS] | status | down

The simulated farm on one machine (Proxmox VE over SSH, Talos machine API, Kubernetes API for
real helm/kubectl, chart repository, Doppler; loopback only).

  agri-play lab               plan (--check), converge, converge again (must change nothing), stop;
                              writes an HTML report of the converge
  agri-play lab --faults      the same with a hung Talos boot, a slow PVE link and a failed helm install
  agri-play lab --json        NDJSON events (lab_start, lab_phase, the runs' events, lab_end)
  agri-play lab up            start the farm in the background (its state in .agri-play/lab)
  agri-play lab site [-C]     converge the running lab with playbooks/site.yaml (options as for a playbook)
  agri-play lab status        is a lab up, and on which ports
  agri-play lab down          stop it (ends only the processes it started)

A new lab starts from an empty farm; reports of earlier lab runs are kept.`,
  'lab run': 'usage: agri-play lab [run] [--faults] [--json] [-e VAR=VALUE]\n\nPlan, converge, converge again and stop the simulated farm; see agri-play lab --help.',
  'lab up': 'usage: agri-play lab up [--faults]\n\nStarts the simulated farm in the background; `agri-play lab site` converges it, `agri-play lab down` stops it.',
  'lab site': 'usage: agri-play lab site [--check] [--diff] [--json] [-e VAR=VALUE] [-l PATTERN]\n\nRuns playbooks/site.yaml against the running lab (edge + cloud inventories and the lab\'s addresses).\n\nexample: agri-play lab site --check --diff',
  'lab status': 'usage: agri-play lab status\n\nSays whether a lab is up (its pid and ports).',
  'lab down': 'usage: agri-play lab down\n\nStops the running lab and checks the processes it started are gone.',
  report: `usage: agri-play report [RUN.ndjson] [-o FILE.html]

An HTML picture of a run: a timeline per host, the plays as a graph, diffs on click.
Without RUN.ndjson: the newest journal in .agri-play/runs.

examples:
  agri-play report                                   # the newest run
  agri-play report .agri-play/runs/X.ndjson -o run.html`,
  inventory: `usage: agri-play inventory -i INVENTORY (--list [--yaml] [--export] | --host HOST | --graph [GROUP] [--vars])
                  [--playbook-dir DIR] [--output FILE]

What agri-play makes of an inventory, printed as ansible-inventory prints it: every group's hosts and
children and every host's merged variables (group_vars/ and host_vars/ beside the inventory, and beside
DIR with --playbook-dir), --export for each group's and host's own variables instead, --host for one host's,
--graph for the tree of groups (--vars: with their variables).

examples:
  agri-play inventory -i edge --graph --vars
  agri-play inventory -i inventories/edge.yaml --host edge-cp-1`,
  roles: `usage: agri-play roles add SPEC... | install [-r FILE | SRC[,VERSION[,NAME]]...] | list | why NAME

Roles from npm or git packages, pinned by package-lock.json (run in a project with package.json),
and plain Ansible roles (git or .tar.gz, as ansible-galaxy installs them) into roles/, pinned by roles.lock.json.

  agri-play roles add github:acme/agri-roles#v1.2.0   install a role package (npm install --save)
  agri-play roles install                             the roles of requirements.yml (or roles/requirements.yml)
  agri-play roles install git+https://github.com/geerlingguy/ansible-role-ntp.git,3.0.0,ntp
  agri-play roles list                                the roles this project can use, and where from
  agri-play roles why acme/ntp                        where a role comes from (package, version, commit)`,
  'roles add': 'usage: agri-play roles add SPEC...\n\nInstalls role packages with npm (github:org/repo#tag, git+https://…#tag, @scope/pkg@1).\n\nexample: agri-play roles add github:acme/agri-roles#v1.2.0',
  'roles install': 'usage: agri-play roles install [-r FILE | SRC[,VERSION[,NAME]]...]\n\nInstalls plain Ansible roles into roles/ as ansible-galaxy does: git repositories (a tag, branch or commit) and .tar.gz URLs, pinned by commit or sha256 in roles.lock.json and installed at that pin next time. Without arguments: requirements.yml (roles with src/scm/version/name; collections are named, not installed).\n\nexample: agri-play roles install -r requirements.yml',
  'roles list': 'usage: agri-play roles list\n\nThe roles this project can use: its own roles/, agri-play\'s built-in roles, and those of installed packages.',
  'roles why': 'usage: agri-play roles why NAME\n\nWhere a role comes from: the package, its version and the pinned commit.\n\nexample: agri-play roles why acme/ntp',
};

export const COMMANDS = ['lab', 'report', 'roles', 'doc', 'check', 'new', 'inventory', 'adhoc'];
