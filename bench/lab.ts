// npm run bench:lab — the lab site: how long a re-run that changes nothing takes (the drift
// check), `--check` on the converged farm, and whether a faulty site holds the other back
// (`agri-play lab`, `lab up` + `lab site -C`, `lab --faults`; one run each, here and now: compare
// the ratios, not the seconds).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../lib/source/index.js';
import type { Event, LabEvent } from '../lib/report/index.js';

interface LabRun {
  /** The recap's duration of each phase, ms. */
  runs: number[];
  /** When each site's lanes ended, per phase. */
  sites: Record<string, number>[];
  changedAgain: number;
}

/** `agri-play lab ARGS` in `dir`: its events (with --json); a failure is the bench's. */
function labCli(dir: string, args: string[]): (Event | LabEvent)[] {
  const r = spawnSync(process.execPath, [join(packageRoot, 'bin/agri-play.js'), 'lab', ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`lab ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event | LabEvent);
}

const changedIn = (e: Extract<Event, { event: 'recap' }>) => Object.values(e.hosts).reduce((n, c) => n + c.changed, 0);

function lab(args: string[]): LabRun {
  const dir = mkdtempSync(join(tmpdir(), 'agri-bench-lab-'));
  try {
    const out: LabRun = { runs: [], sites: [], changedAgain: 0 };
    for (const e of labCli(dir, ['--json', ...args])) {
      if (e.event === 'recap') {
        out.runs.push(e.duration_ms);
        out.changedAgain = changedIn(e);
      }
      if (e.event === 'lab_sites') out.sites.push(e.lanes);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `--check` on the converged lab (`lab up`, `lab site`, `lab site --check`): the recap's duration and what it would change. */
function checkConverged(): { ms: number; changed: number } {
  const dir = mkdtempSync(join(tmpdir(), 'agri-bench-lab-'));
  try {
    labCli(dir, ['up']);
    labCli(dir, ['site']);
    const recap = labCli(dir, ['site', '--check', '--json']).find((e) => e.event === 'recap');
    if (recap?.event !== 'recap') throw new Error('lab site --check printed no recap');
    return { ms: recap.duration_ms, changed: changedIn(recap) };
  } finally {
    labCli(dir, ['down']);
    rmSync(dir, { recursive: true, force: true });
  }
}

const plain = lab([]);
const faulty = lab(['--faults']);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`lab re-run (phase 3, nothing to change): ${s(plain.runs[2])} run (changed=${plain.changedAgain}); the check on the empty farm ${s(plain.runs[0])}, the converge ${s(plain.runs[1])}`);
const checked = checkConverged();
console.log(`lab --check on the converged farm: ${s(checked.ms)} run (would change ${checked.changed})`);
const west = (r: LabRun) => r.sites[1]?.['talos-west'] ?? NaN;
const east = (r: LabRun) => r.sites[1]?.['talos-east'] ?? NaN;
console.log(`converge, each site's lanes done at:  without faults  east ${s(east(plain))}  west ${s(west(plain))}`);
console.log(`                                       with faults     east ${s(east(faulty))}  west ${s(west(faulty))}  (faults at the edge: slow PVE link, hung boot, a failed helm install)`);
console.log(`the cloud site (west) with the edge's faults / without: ${(west(faulty) / west(plain)).toFixed(2)}× (target ≤ 1.15)`);
