/** A planned graph in Mermaid or Graphviz dot: plays as groups, steps as nodes. */
export interface GraphInput {
  plays: { name: string; index: number; after: number[]; lanes?: string[]; hosts: { host: string; steps: { id: string; label: string }[] }[] }[];
}

const esc = (s: string) => s.replace(/"/g, "'");

/**
 * The play-level graph (the default of --graph): one node per play with its hosts and task
 * count, edges where a play waits for another; plays with no edge between them run side by side.
 */
export function playGraphText(g: GraphInput, format: 'mermaid' | 'dot'): string {
  const label = (p: GraphInput['plays'][number]) =>
    `${esc(p.name)}<br/>${p.hosts.length} host${p.hosts.length === 1 ? '' : 's'} · ${p.hosts[0]?.steps.length ?? 0} task${(p.hosts[0]?.steps.length ?? 0) === 1 ? '' : 's'}${p.lanes ? ` · lanes ${esc(p.lanes.join(', '))}` : ''}`;
  if (format === 'mermaid') {
    const out = ['flowchart TD'];
    for (const p of g.plays) out.push(`  play${p.index}["${label(p)}"]`);
    for (const p of g.plays) for (const a of p.after) out.push(`  play${a} --> play${p.index}`);
    return out.join('\n');
  }
  const out = ['digraph agri_play {', '  rankdir=TB; node [shape=box, fontsize=10];'];
  for (const p of g.plays) out.push(`  play${p.index} [label="${label(p).replace('<br/>', '\\n')}"];`);
  for (const p of g.plays) for (const a of p.after) out.push(`  play${a} -> play${p.index};`);
  out.push('}');
  return out.join('\n');
}

/** The step-level graph (`--graph mermaid-steps|dot-steps`): every host's steps in each play. */
export function graphText(g: GraphInput, format: 'mermaid' | 'dot'): string {
  const out: string[] = [];
  if (format === 'mermaid') {
    out.push('flowchart TD');
    for (const p of g.plays) {
      out.push(`  subgraph play${p.index}["${esc(p.name)}"]`);
      out.push(`    play${p.index}_start(("start"))`);
      for (const h of p.hosts) {
        let prev = `play${p.index}_start`;
        for (const s of h.steps) {
          const id = 's_' + s.id.replace(/[^A-Za-z0-9]/g, '_');
          out.push(`    ${id}["${esc(h.host)}: ${esc(s.label)}"]`);
          out.push(`    ${prev} --> ${id}`);
          prev = id;
        }
        out.push(`    ${prev} --> play${p.index}_end`);
      }
      out.push(`    play${p.index}_end(("end"))`);
      out.push('  end');
      for (const a of p.after) out.push(`  play${a}_end --> play${p.index}_start`);
    }
    return out.join('\n');
  }
  out.push('digraph agri_play {', '  rankdir=TB; node [shape=box, fontsize=10];');
  for (const p of g.plays) {
    out.push(`  subgraph cluster_${p.index} { label="${esc(p.name)}";`);
    out.push(`    play${p.index}_start [shape=circle,label="start"]; play${p.index}_end [shape=circle,label="end"];`);
    for (const h of p.hosts) {
      let prev = `play${p.index}_start`;
      for (const s of h.steps) {
        const id = 's_' + s.id.replace(/[^A-Za-z0-9]/g, '_');
        out.push(`    ${id} [label="${esc(h.host)}: ${esc(s.label)}"]; ${prev} -> ${id};`);
        prev = id;
      }
      out.push(`    ${prev} -> play${p.index}_end;`);
    }
    out.push('  }');
    for (const a of p.after) out.push(`  play${a}_end -> play${p.index}_start;`);
  }
  out.push('}');
  return out.join('\n');
}
