/** A planned graph in Mermaid or Graphviz dot: plays as groups, steps as nodes. */
export interface GraphInput {
  plays: { name: string; index: number; after: number[]; hosts: { host: string; steps: { id: string; label: string }[] }[] }[];
}

const esc = (s: string) => s.replace(/"/g, "'");

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
