import type { PlayNode, RunModel } from './run-model.js';

/** Text for HTML/SVG: the journal holds whatever the tasks said. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LABEL_W = 170;
const CHART_W = 1000;
const ROW_H = 20;

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** One row per host, one bar per step, x = time since the run started. */
function gantt(m: RunModel): string {
  const x = (t: number) => LABEL_W + (t / m.duration) * CHART_W;
  const row = new Map(m.hosts.map((h, i) => [h, i]));
  const height = m.hosts.length * ROW_H + 30;
  const out: string[] = [`<svg id="gantt" xmlns="http://www.w3.org/2000/svg" width="${LABEL_W + CHART_W + 20}" height="${height}">`];
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600].map((s) => s * 1000).find((s) => m.duration / s <= 12) ?? 1_200_000;
  for (let t = 0; t <= m.duration; t += step) {
    out.push(`<line class="tick" x1="${x(t)}" x2="${x(t)}" y1="0" y2="${height - 18}"/><text class="axis" x="${x(t)}" y="${height - 4}">${seconds(t)}</text>`);
  }
  m.hosts.forEach((h, i) => out.push(`<text class="host" x="4" y="${i * ROW_H + 14}">${esc(h)}</text>`));
  m.steps.forEach((s, i) => {
    const w = Math.max(2, x(s.end) - x(s.start));
    out.push(
      `<rect class="bar st-${s.status}" data-i="${i}" data-host="${esc(s.host)}" x="${x(s.start).toFixed(1)}" y="${(row.get(s.host) ?? 0) * ROW_H + 3}" width="${w.toFixed(1)}" height="${ROW_H - 6}"><title>${esc(`${s.host}: ${s.task} (${s.module}) ${s.status} ${s.end - s.start} ms`)}</title></rect>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Plays as boxes in columns by dependency depth; arrows for `after`. */
function dag(plays: PlayNode[]): string {
  const depth = new Map<number, number>();
  for (const p of plays) depth.set(p.index, Math.max(0, ...p.after.map((a) => (depth.get(a) ?? 0) + 1)));
  const cols = new Map<number, PlayNode[]>();
  for (const p of plays) cols.set(depth.get(p.index)!, [...(cols.get(depth.get(p.index)!) ?? []), p]);
  const BW = 190;
  const BH = 54;
  const pos = new Map<number, { x: number; y: number }>();
  for (const [d, ps] of cols) ps.forEach((p, i) => pos.set(p.index, { x: 10 + d * (BW + 40), y: 10 + i * (BH + 16) }));
  const width = 20 + cols.size * (BW + 40);
  const height = 20 + Math.max(1, ...[...cols.values()].map((c) => c.length)) * (BH + 16);
  const out = [`<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`];
  for (const p of plays)
    for (const a of p.after) {
      const from = pos.get(a);
      const to = pos.get(p.index)!;
      if (from) out.push(`<line class="edge" x1="${from.x + BW}" y1="${from.y + BH / 2}" x2="${to.x}" y2="${to.y + BH / 2}" marker-end="url(#arrow)"/>`);
    }
  for (const p of plays) {
    const { x, y } = pos.get(p.index)!;
    const cls = p.counts.failed ? 'failed' : p.counts.changed ? 'changed' : 'ok';
    const name = p.name.length > 28 ? p.name.slice(0, 27) + '…' : p.name;
    out.push(
      `<g class="play play-${cls}" data-play="${p.index}"><rect x="${x}" y="${y}" width="${BW}" height="${BH}" rx="6"/><title>${esc(p.name)}</title>` +
        `<text x="${x + 8}" y="${y + 20}" class="pname">${esc(name)}</text>` +
        `<text x="${x + 8}" y="${y + 40}" class="pcount">${p.hosts.length} host(s) · ${p.counts.steps} steps · ${p.counts.changed} changed${p.counts.failed ? ` · ${p.counts.failed} failed` : ''}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

function recap(m: RunModel): string {
  if (!m.recap) return '<p>No recap: the run did not finish.</p>';
  const cols = ['ok', 'changed', 'unreachable', 'failed', 'skipped'] as const;
  const rows = Object.entries(m.recap).map(([h, c]) => {
    const cls = c.failed || c.unreachable ? 'failed' : c.changed ? 'changed' : 'ok';
    return `<tr class="r-${cls}"><td>${esc(h)}</td>${cols.map((k) => `<td>${c[k]}</td>`).join('')}</tr>`;
  });
  return `<table id="recap"><tr><th>host</th>${cols.map((k) => `<th>${k}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

const CSS = `body{font:13px system-ui,sans-serif;margin:16px;color:#222}h1{font-size:18px}h2{font-size:15px;margin-top:22px}
.st-ok{fill:#5cb85c}.st-changed{fill:#f0ad4e}.st-failed,.st-unreachable{fill:#d9534f}.st-skipped{fill:#bbb}.st-running{fill:#5bc0de}.st-rescued,.st-ignored{fill:#9b59b6}
.bar{cursor:pointer}.bar.sel{stroke:#000;stroke-width:2}.tick{stroke:#eee}.axis{font-size:10px;fill:#777}.host{font-size:11px}
.play rect{fill:#e8f5e9;stroke:#5cb85c}.play-changed rect{fill:#fff4e0;stroke:#f0ad4e}.play-failed rect{fill:#fdecea;stroke:#d9534f}
.pname{font-weight:600;font-size:12px}.pcount{font-size:10px;fill:#555}.edge{stroke:#888;marker-end:url(#arrow)}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:left}.r-changed td:first-child{color:#b8860b}.r-failed td:first-child{color:#c00}
#detail{white-space:pre-wrap;font:12px ui-monospace,monospace;background:#f7f7f7;padding:10px;min-height:3em;border-left:3px solid #ccc}
.scroll{overflow-x:auto}`;

/** Clicking a bar shows its step; text goes in with textContent, never as HTML. */
const SCRIPT = `const steps=JSON.parse(document.getElementById('steps').textContent);
const detail=document.getElementById('detail');
document.getElementById('gantt').addEventListener('click',ev=>{const r=ev.target.closest('rect.bar');if(!r)return;
document.querySelectorAll('rect.sel').forEach(x=>x.classList.remove('sel'));r.classList.add('sel');const s=steps[+r.dataset.i];
detail.textContent=[s.host+'  '+s.status.toUpperCase()+'  '+(s.end-s.start)+' ms',s.task+'  ('+s.module+')',s.at,s.msg||'',s.diff||''].filter(Boolean).join('\\n');});
document.documentElement.dataset.ready=String(steps.length);`;

/** One self-contained page: no network, no external scripts or fonts. */
export function htmlReport(m: RunModel, title = 'agri-play run'): string {
  // JSON inside <script> must not close it: escape '<' everywhere
  const data = JSON.stringify(m.steps).replace(/</g, '\\u003c');
  const changed = m.steps.filter((s) => s.status === 'changed').length;
  const failed = m.steps.filter((s) => s.status === 'failed' || s.status === 'unreachable').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}: ${esc(m.playbook)}</h1>
<p id="summary">${esc(m.time)} · ${m.check ? 'check mode (nothing changed)' : 'run'} · ${seconds(m.duration)} · ${m.hosts.length} hosts · ${m.steps.length} steps · ${changed} changed · ${failed} failed</p>
<h2>Plays (the DAG: a play starts when those it comes after have ended)</h2>
<div class="scroll">${dag(m.plays)}</div>
<h2>Timeline (one row per host; click a step for its details and diff)</h2>
<div class="scroll">${gantt(m)}</div>
<pre id="detail">Click a step.</pre>
<h2>Recap</h2>
${recap(m)}
<script type="application/json" id="steps">${data}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
