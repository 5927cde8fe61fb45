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

function lab(args: string[]): LabRun {
  const dir = mkdtempSync(join(tmpdir(), 'agri-bench-lab-'));
  try {
    const r = spawnSync(process.execPath, [join(packageRoot, 'bin/agri-play.js'), 'lab', '--json', ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' } });
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event | LabEvent);
    if (r.status !== 0) throw new Error(`lab ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const out: LabRun = { runs: [], sites: [], changedAgain: 0 };
    for (const e of events) {
      if (e.event === 'recap') {
        out.runs.push(e.duration_ms);
        out.changedAgain = Object.values(e.hosts).reduce((n, c) => n + c.changed, 0);
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
  const cli = (args: string[]) => spawnSync(process.execPath, [join(packageRoot, 'bin/agri-play.js'), 'lab', ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' } });
  try {
    for (const args of [['up'], ['site']]) {
      const r = cli(args);
      if (r.status !== 0) throw new Error(`lab ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    }
    const r = cli(['site', '--check', '--json']);
    const recap = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Event).find((e) => e.event === 'recap');
    if (r.status !== 0 || recap?.event !== 'recap') throw new Error(`lab site --check exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return { ms: recap.duration_ms, changed: Object.values(recap.hosts).reduce((n, c) => n + c.changed, 0) };
  } finally {
    cli(['down']);
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
