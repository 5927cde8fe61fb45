import type { Counts, Event, Status } from './events.js';
import { diffText } from './render.js';

/** One step as the report draws it: a bar from its start to its end on its host's row. */
export interface StepBar {
  id: string;
  host: string;
  play: string;
  task: string;
  module: string;
  at: string;
  start: number;
  end: number;
  status: Status | 'running';
  msg?: string;
  diff?: string;
}

export interface PlayNode {
  index: number;
  name: string;
  after: number[];
  hosts: string[];
  counts: { changed: number; failed: number; unreachable: number; steps: number };
}

/** A run rebuilt from its journal: what the HTML report (and any other picture) is drawn from. */
export interface RunModel {
  playbook: string;
  time: string;
  check: boolean;
  duration: number;
  hosts: string[];
  plays: PlayNode[];
  steps: StepBar[];
  recap?: Record<string, Counts>;
  /** Plays in lanes: when each lane's last step ended (ms from the start), e.g. each site's converge. */
  lanes: Record<string, number>;
}

/**
 * Folds a run's events into bars and plays. Steps that never ended (an interrupted run) are
 * kept as 'running' up to the last time seen; plays without `after` (old journals) follow the
 * play before them, as the planner orders them.
 */
export function runModel(events: Event[]): RunModel {
  const m: RunModel = { playbook: '', time: '', check: false, duration: 0, hosts: [], plays: [], steps: [], lanes: {} };
  // which lane each host is in, play by play
  const laneOf = new Map<string, string>();
  const open = new Map<string, StepBar>();
  const hosts = new Set<string>();
  const plays = new Map<string, PlayNode>();
  let last = 0;
  for (const e of events) {
    switch (e.event) {
      case 'run_start':
        Object.assign(m, { playbook: e.playbook, time: e.time, check: e.check });
        break;
      case 'play_start': {
        // a play in lanes starts once per lane: one node with all their hosts
        if (e.lane !== undefined) for (const h of e.hosts) laneOf.set(`${e.play}\n${h}`, e.lane);
        const seen = plays.get(e.play);
        if (seen) seen.hosts = [...new Set([...seen.hosts, ...e.hosts])];
        else plays.set(e.play, { index: e.index, name: e.play, after: e.after ?? (e.index > 0 ? [e.index - 1] : []), hosts: e.hosts, counts: { changed: 0, failed: 0, unreachable: 0, steps: 0 } });
        break;
      }
      case 'step_start': {
        const bar: StepBar = { id: e.id, host: e.host, play: e.play, task: e.task, module: e.module, at: e.at, start: e.t_ms, end: e.t_ms, status: 'running' };
        open.set(e.id, bar);
        m.steps.push(bar);
        hosts.add(e.host);
        last = Math.max(last, e.t_ms);
        break;
      }
      case 'step_end': {
        let bar = open.get(e.id);
        if (!bar) {
          bar = { id: e.id, host: e.host, play: e.play, task: e.task, module: e.module, at: e.at, start: e.t_ms - e.duration_ms, end: e.t_ms, status: e.status };
          m.steps.push(bar);
          hosts.add(e.host);
        }
        open.delete(e.id);
        Object.assign(bar, { end: e.t_ms, status: e.status, msg: [e.note, e.msg ?? e.why].filter(Boolean).join(': ') || undefined, diff: e.diff?.length ? e.diff.flatMap(diffText).join('\n') : undefined });
        last = Math.max(last, e.t_ms);
        const lane = laneOf.get(`${e.play}\n${e.host}`);
        if (lane !== undefined) m.lanes[lane] = Math.max(m.lanes[lane] ?? 0, e.t_ms);
        const p = plays.get(e.play);
        if (p && !e.run_once_copy) {
          p.counts.steps++;
          if (e.status === 'changed') p.counts.changed++;
          if (e.status === 'failed') p.counts.failed++;
          if (e.status === 'unreachable') p.counts.unreachable++;
        }
        break;
      }
      case 'recap':
        m.recap = e.hosts;
        m.duration = e.duration_ms;
        break;
      default:
        break;
    }
  }
  for (const b of open.values()) b.end = last;
  m.duration = Math.max(m.duration, last, 1);
  m.hosts = [...hosts];
  m.plays = [...plays.values()].sort((a, b) => a.index - b.index);
  return m;
}
