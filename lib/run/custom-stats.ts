// ansible-core's AggregateStats.custom: what set_stats set, by host, '_run' for the whole run.
import { mergeHash } from '../source/index.js';
import { isDict, ops, pyType } from '../source/python.js';

export type CustomStats = Record<string, Record<string, unknown>>;

/** isinstance(what, type(cur)) (a bool is an int too) */
const sameType = (what: unknown, cur: unknown): boolean => pyType(what) === pyType(cur) || (pyType(cur) === 'int' && pyType(what) === 'bool');

/**
 * set_stats' data for these hosts (undefined: the run's), as ansible-core's strategy passes it on:
 * aggregate adds to what is there (dicts merged as merge_hash, anything else with Python's `+`; a
 * value of another type is passed over), else the value replaces it.
 */
export function addCustomStats(stats: CustomStats, hosts: (string | undefined)[], data: Record<string, unknown>, aggregate: boolean): void {
  for (const host of hosts) {
    const mine = (stats[host ?? '_run'] ??= {});
    for (const [k, what] of Object.entries(data)) {
      if (!aggregate || !(k in mine)) mine[k] = what;
      else if (!sameType(what, mine[k])) continue;
      else if (isDict(what)) mine[k] = mergeHash(mine[k] as Record<string, unknown>, what);
      else {
        try {
          mine[k] = ops.add(mine[k], what);
        } catch {
          // (a type Python's + refuses: ansible-core's would fail the run's stats; the value stays)
        }
      }
    }
  }
}

