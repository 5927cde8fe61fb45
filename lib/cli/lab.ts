import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgriError, Exit } from '../errors.js';
import { pidAlive as alive, startFarm, type Farm } from '../lab/farm.js';
import { packageRoot } from '../source/index.js';
import { runModel, type LabEvent } from '../report/index.js';
import type { Output } from './output.js';
import { newestJournal, readJournal, writeReport } from './report.js';

const bin = join(packageRoot, 'bin', 'agri-play.js');
const SITE = join(packageRoot, 'playbooks', 'site.yaml');
const LAB_FORKS = 32;

interface LabFile {
  pid: number;
  dir: string;
  inventory: string;
  varsFile: string;
  env: Record<string, string>;
  ports: Record<string, number>;
  /** Processes the lab started besides itself (sshd): `down` checks they are gone. */
  children: number[];
}

function labFile(dir: string): LabFile | undefined {
  const f = join(dir, 'lab.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as LabFile) : undefined;
}

/** The site playbook against the lab, as a child process (the simulators live in this one). */
function site(l: Pick<LabFile, 'inventory' | 'varsFile' | 'env'>, extra: string[], cwd: string): Promise<number> {
  // every host of the farm at once (16): the default 10 would hold two sites' VMs back
  const args = [bin, SITE, '-i', join(packageRoot, 'inventories/edge.yaml'), '-i', join(packageRoot, 'inventories/cloud.yaml'), '-i', l.inventory, '-e', `@${l.varsFile}`, '--forks', String(LAB_FORKS), ...extra];
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { cwd, env: { ...process.env, ...l.env }, stdio: 'inherit' });
    c.on('exit', (code) => resolve(code ?? Exit.internal));
  });
}

const kubeconfigs = (dir: string) => ['talos-east', 'talos-west'].map((c) => join(dir, 'talos', c, 'kubeconfig'));

function usage(o: Output, l: Pick<LabFile, 'dir' | 'inventory' | 'varsFile'>): void {
  o.line(`\nKubeconfigs (the Talos admin kubeconfigs; the API servers are simulated):`);
  for (const k of kubeconfigs(l.dir)) o.line(`  ${k}`);
  o.line(`\nWhile the lab is up (agri-play lab up):`);
  o.line(`  KUBECONFIG=${kubeconfigs(l.dir)[0]} kubectl get deploy -A`);
  o.line(`  HELM_CONFIG_HOME=${join(l.dir, 'helm/config')} KUBECONFIG=… helm list -A`);
  o.line(`  npx agri-play playbooks/site.yaml -i edge -i cloud -i ${l.inventory} -e @${l.varsFile} -f ${LAB_FORKS}`);
}

/** Lab options: `--faults` (inject failures the run must recover from), `--json` (NDJSON events). */
function labFlags(args: string[]): { faults: boolean; json: boolean; rest: string[] } {
  return { faults: args.includes('--faults'), json: args.includes('--json'), rest: args.filter((a) => a !== '--faults') };
}

/** The newest run's HTML report; none when no run wrote a journal (bad input stops before). */
function pictureOf(state: string): string | undefined {
  try {
    return writeReport(newestJournal(state));
  } catch (e) {
    if (e instanceof AgriError) return undefined;
    throw e;
  }
}

/** When each lane of the newest run ended (undefined when it wrote no journal). */
function lanesOf(state: string): Record<string, number> | undefined {
  try {
    const lanes = runModel(readJournal(newestJournal(state))).lanes;
    return Object.keys(lanes).length ? lanes : undefined;
  } catch (e) {
    if (e instanceof AgriError) return undefined;
    throw e;
  }
}

/** A new lab starts from an empty farm, but the journals and reports of earlier lab runs stay. */
function wipeSimulated(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f !== 'state') rmSync(join(dir, f), { recursive: true, force: true });
  const state = join(dir, 'state');
  if (existsSync(state)) for (const f of readdirSync(state)) if (f !== 'runs') rmSync(join(state, f), { recursive: true, force: true });
}

/** `agri-play lab`: the whole farm on loopback, the site converged, proved idempotent, then stopped. */
async function run(o: Output, dir: string, cwd: string, extra: string[]): Promise<number> {
  const { faults, json, rest } = labFlags(extra);
  const say = (e: LabEvent, text: string) => o.line(json ? JSON.stringify(e) : text);
  const running = labFile(dir);
  if (running && alive(running.pid)) throw new AgriError(`a lab is up (pid ${running.pid}); stop it with \`agri-play lab down\` first`, Exit.usage);
  wipeSimulated(dir);
  const t0 = Date.now();
  const farm = await startFarm(dir, { faults });
  const ports = Object.entries(farm.ports).map(([k, v]) => `${k} ${v}`).join(', ');
  say(
    { event: 'lab_start', dir, ports: farm.ports, faults: farm.faults },
    `agri-play lab: the simulated farm is up in ${dir} (Proxmox VE over SSH, Talos machine API, Kubernetes API, chart repository, Doppler; loopback only)\n  ports: ${ports}${farm.faults.map((f) => `\n  fault: ${f}`).join('')}`,
  );
  const state = join(dir, 'state');
  let code: number = Exit.ok;
  let report: string | undefined;
  try {
    const phases: [string, string[]][] = [
      ['plan (--check: nothing is changed)', ['--check']],
      ['converge', []],
      ['converge again (idempotence: expect changed=0)', []],
    ];
    for (const [i, [title, args]] of phases.entries()) {
      const phase = { event: 'lab_phase', phase: i + 1, of: phases.length, title, args } as const;
      say(phase, `\n━━━ ${i + 1}/${phases.length} ${title} ━━━`);
      code = await site(farm, [...args, '--state-dir', state, ...rest], cwd);
      const lanes = lanesOf(state);
      if (lanes) say({ event: 'lab_sites', phase: i + 1, lanes }, `  sites, each at its own pace: ${Object.entries(lanes).map(([k, t]) => `${k} done at ${(t / 1000).toFixed(2)}s`).join(' · ')}`);
      // the picture of the run that changed the farm (or of the one that failed, if it got to run)
      if (i === 1 || code !== Exit.ok) report = pictureOf(state) ?? report;
      if (code !== Exit.ok) break;
    }
    if (!json) usage(o, farm);
  } finally {
    await farm.stop();
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  say(
    { event: 'lab_end', code, duration_ms: Date.now() - t0, report, kubeconfigs: kubeconfigs(dir) },
    `${report ? `\nReport of the ${code === Exit.ok ? 'converge' : 'failed run'} (timeline, plays, diffs): ${report}` : ''}\nagri-play lab: ${code === Exit.ok ? 'done' : `stopped (exit ${code})`} in ${secs}s; the lab is stopped.`,
  );
  return code;
}

/** `lab serve` (what `lab up` starts in the background): the farm until SIGTERM/SIGINT. */
async function serve(dir: string, faults: boolean): Promise<number> {
  const farm: Farm = await startFarm(dir, { faults });
  const info: LabFile = { pid: process.pid, dir, inventory: farm.inventory, varsFile: farm.varsFile, env: farm.env, ports: farm.ports, children: farm.children };
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(info, null, 2), { mode: 0o600 });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await farm.stop();
  rmSync(join(dir, 'lab.json'), { force: true });
  return Exit.ok;
}

async function up(o: Output, dir: string, faults: boolean): Promise<number> {
  const have = labFile(dir);
  if (have && alive(have.pid)) return o.line(`lab is already up (pid ${have.pid})`), Exit.ok;
  wipeSimulated(dir);
  const child = spawn(process.execPath, [bin, 'lab', 'serve', '--dir', dir, ...(faults ? ['--faults'] : [])], { detached: true, stdio: 'ignore' });
  child.unref();
  const deadline = Date.now() + 30_000;
  while (!labFile(dir)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new AgriError('the lab did not start within 30 s', Exit.internal);
    await new Promise((r) => setTimeout(r, 100));
  }
  const l = labFile(dir)!;
  o.line(`lab up (pid ${l.pid}); ports: ${Object.entries(l.ports).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  o.line(`converge it:  DOPPLER_TOKEN=${'<in ' + join(dir, 'lab.json') + '>'} npx agri-play playbooks/site.yaml -i edge -i cloud -i ${l.inventory} -e @${l.varsFile} -f ${LAB_FORKS}`);
  o.line(`or simply:    npx agri-play lab site   (same, with the lab's Doppler token)`);
  return Exit.ok;
}

async function down(o: Output, dir: string): Promise<number> {
  const l = labFile(dir);
  if (!l || !alive(l.pid)) return o.line('no lab is up'), Exit.ok;
  process.kill(l.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(l.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(l.pid)) throw new AgriError(`lab process ${l.pid} did not stop within 20 s`, Exit.internal);
  // what the lab started (sshd) ends with it; one left behind is ended here, by its pid
  const left = (l.children ?? []).filter(alive);
  for (const pid of left) process.kill(pid, 'SIGTERM');
  o.line(`lab down (pid ${l.pid} stopped${l.children?.length ? `, and ${l.children.length} process(es) it started` : ''}${left.length ? `; ended ${left.join(', ')} left behind` : ''})`);
  return Exit.ok;
}

export async function labCommand(argv: string[], o: Output, cwd: string): Promise<number> {
  const at = argv.indexOf('--dir');
  const dir = at >= 0 ? argv[at + 1] : join(cwd, '.agri-play', 'lab');
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  // `agri-play lab --faults` is `lab run --faults`
  const [sub, ...extra] = rest[0]?.startsWith('-') ? ['run', ...rest] : rest;
  switch (sub) {
    case undefined:
    case 'run':
      return run(o, dir, cwd, extra);
    case 'serve':
      return serve(dir, labFlags(extra).faults);
    case 'up':
      return up(o, dir, labFlags(extra).faults);
    case 'down':
      return down(o, dir);
    case 'status': {
      const l = labFile(dir);
      o.line(l && alive(l.pid) ? `lab up (pid ${l.pid}) in ${dir}; ports: ${Object.entries(l.ports).map(([k, v]) => `${k} ${v}`).join(', ')}` : 'no lab is up');
      return Exit.ok;
    }
    case 'site': {
      const l = labFile(dir);
      if (!l || !alive(l.pid)) throw new AgriError('no lab is up: start it with `agri-play lab up`', Exit.usage);
      const code = await site(l, extra, cwd);
      usage(o, l);
      return code;
    }
    default:
      throw new AgriError(`unknown lab command '${sub}' (meant: lab, lab up, lab site, lab status, lab down)`, Exit.usage);
  }
}
