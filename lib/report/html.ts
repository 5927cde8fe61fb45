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

/** A play name in lines of at most `w` characters (SVG text does not wrap). */
function lines(name: string, w: number, max = 2): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of name.split(/\s+/)) {
    if ((cur + ' ' + word).trim().length > w && cur) {
      out.push(cur);
      cur = word;
    } else cur = (cur + ' ' + word).trim();
  }
  if (cur) out.push(cur);
  return out.length > max ? [...out.slice(0, max - 1), out.slice(max - 1).join(' ').slice(0, w - 1) + '…'] : out;
}

/** Plays as a top-down DAG: a row per dependency depth, plays that run side by side in one row. */
function dag(plays: PlayNode[]): string {
  const depth = new Map<number, number>();
  for (const p of plays) depth.set(p.index, Math.max(0, ...p.after.map((a) => (depth.get(a) ?? 0) + 1)));
  const rows = new Map<number, PlayNode[]>();
  for (const p of plays) rows.set(depth.get(p.index)!, [...(rows.get(depth.get(p.index)!) ?? []), p]);
  const BW = 300;
  const BH = 62;
  const GX = 30;
  const GY = 26;
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = 20 + widest * (BW + GX);
  const pos = new Map<number, { x: number; y: number }>();
  for (const [d, ps] of rows) {
    const left = (width - ps.length * (BW + GX) + GX) / 2;
    ps.forEach((p, i) => pos.set(p.index, { x: left + i * (BW + GX), y: 10 + d * (BH + GY) }));
  }
  const height = 20 + rows.size * (BH + GY);
  const out = [`<svg id="dag" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>`];
  for (const p of plays)
    for (const a of p.after) {
      const from = pos.get(a);
      const to = pos.get(p.index)!;
      if (from) out.push(`<line class="edge" x1="${from.x + BW / 2}" y1="${from.y + BH}" x2="${to.x + BW / 2}" y2="${to.y}" marker-end="url(#arrow)"/>`);
    }
  for (const p of plays) {
    const { x, y } = pos.get(p.index)!;
    const cls = p.counts.steps === 0 ? 'none' : p.counts.failed || p.counts.unreachable ? 'failed' : p.counts.changed ? 'changed' : 'ok';
    const [l1, l2] = lines(p.name, 44);
    const counts = p.counts.steps === 0 ? 'did not run' : `${p.hosts.length} host(s) · ${p.counts.steps} steps · ${p.counts.changed} changed${p.counts.failed ? ` · ${p.counts.failed} failed` : ''}${p.counts.unreachable ? ` · ${p.counts.unreachable} unreachable` : ''}`;
    out.push(
      `<g class="play play-${cls}" data-play="${p.index}"><rect x="${x}" y="${y}" width="${BW}" height="${BH}" rx="6"/><title>${esc(p.name)}</title>` +
        `<text x="${x + 8}" y="${y + 18}" class="pname">${esc(l1 ?? '')}</text>` +
        (l2 ? `<text x="${x + 8}" y="${y + 33}" class="pname">${esc(l2)}</text>` : '') +
        `<text x="${x + 8}" y="${y + 52}" class="pcount">${counts}</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Every outcome a step can have, each with its own colour (the legend and the bars use these). */
export const STATUS_COLORS: Record<string, string> = { ok: '#4caf50', changed: '#ff9800', failed: '#e53935', unreachable: '#8e24aa', skipped: '#9e9e9e', rescued: '#00897b', ignored: '#1e88e5', running: '#80deea' };

function legend(): string {
  return `<div id="legend">${Object.entries(STATUS_COLORS)
    .filter(([k]) => k !== 'running')
    .map(([k, c]) => `<span class="key"><svg width="14" height="14"><rect class="swatch st-${k}" data-status="${k}" width="14" height="14" fill="${c}"/></svg> ${k}</span>`)
    .join(' ')}</div>`;
}

function filters(m: RunModel): string {
  return `<div id="filters">host <select id="f-host"><option value="">all</option>${m.hosts.map((h) => `<option>${esc(h)}</option>`).join('')}</select> status <select id="f-status"><option value="">all</option>${Object.keys(STATUS_COLORS)
    .filter((k) => k !== 'running')
    .map((k) => `<option>${k}</option>`)
    .join('')}</select> <span id="hover"></span></div>`;
}

const RECAP_COLS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

function recap(m: RunModel): string {
  if (!m.recap) return '<p>No recap: the run did not finish.</p>';
  const cols = RECAP_COLS;
  const rows = Object.entries(m.recap).map(([h, c]) => {
    const cls = c.failed ? 'failed' : c.unreachable ? 'unreachable' : c.changed ? 'changed' : 'ok';
    return `<tr class="r-${cls}"><td>${esc(h)}</td>${cols.map((k) => `<td>${c[k]}</td>`).join('')}</tr>`;
  });
  return `<table id="recap"><tr><th>host</th>${cols.map((k) => `<th>${k}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

const CSS = `body{font:13px system-ui,sans-serif;margin:16px;color:#222}h1{font-size:18px}h2{font-size:15px;margin-top:22px}
${Object.entries(STATUS_COLORS).map(([k, c]) => `.st-${k}{fill:${c}}`).join('')}
.bar{cursor:pointer}.bar.sel{stroke:#000;stroke-width:2}.bar.dim{opacity:.12}.tick{stroke:#eee}.axis{font-size:10px;fill:#777}.host{font-size:11px}
.play rect{fill:#e8f5e9;stroke:${STATUS_COLORS.ok}}.play-changed rect{fill:#fff3e0;stroke:${STATUS_COLORS.changed}}.play-failed rect{fill:#ffebee;stroke:${STATUS_COLORS.failed}}.play-none rect{fill:#f5f5f5;stroke:#bdbdbd}.play-none text{fill:#9e9e9e}
.pname{font-weight:600;font-size:12px}.pcount{font-size:10px;fill:#555}.edge{stroke:#888;marker-end:url(#arrow)}
#legend{margin:6px 0}.key{margin-right:12px;white-space:nowrap}.key svg{vertical-align:middle}#filters{margin:6px 0}#hover{margin-left:12px;color:#444}
.count-failed{color:${STATUS_COLORS.failed};font-weight:600}.count-unreachable{color:${STATUS_COLORS.unreachable};font-weight:600}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:left}.r-changed td:first-child{color:#b26a00}.r-failed td:first-child{color:${STATUS_COLORS.failed}}.r-unreachable td:first-child{color:${STATUS_COLORS.unreachable}}
#detail{white-space:pre-wrap;font:12px ui-monospace,monospace;background:#f7f7f7;padding:10px;min-height:3em;border-left:3px solid #ccc}
.scroll{overflow-x:auto}`;

/** Clicking a bar shows its step; text goes in with textContent, never as HTML. */
const SCRIPT = `const steps=JSON.parse(document.getElementById('steps').textContent);
const detail=document.getElementById('detail');
document.getElementById('gantt').addEventListener('click',ev=>{const r=ev.target.closest('rect.bar');if(!r)return;
document.querySelectorAll('rect.sel').forEach(x=>x.classList.remove('sel'));r.classList.add('sel');const s=steps[+r.dataset.i];
detail.textContent=[s.host+'  '+s.status.toUpperCase()+'  '+(s.end-s.start)+' ms',s.task+'  ('+s.module+')',s.at,s.msg||'',s.diff||''].filter(Boolean).join('\\n');});
const fh=document.getElementById('f-host'),fs=document.getElementById('f-status'),hover=document.getElementById('hover');
const filter=()=>document.querySelectorAll('rect.bar').forEach(r=>{const s=steps[+r.dataset.i];r.classList.toggle('dim',(fh.value&&s.host!==fh.value)||(fs.value&&s.status!==fs.value));});
fh.addEventListener('change',filter);fs.addEventListener('change',filter);
document.getElementById('gantt').addEventListener('mouseover',ev=>{const r=ev.target.closest('rect.bar');if(r){const s=steps[+r.dataset.i];hover.textContent=s.host+': '+s.task+' — '+s.status;}});
const colors={};document.querySelectorAll('#legend .swatch').forEach(x=>colors[x.dataset.status]=getComputedStyle(x).fill);
document.documentElement.dataset.colors=JSON.stringify(colors);
document.documentElement.dataset.ready=String(steps.length);`;

/** One self-contained page: no network, no external scripts or fonts. */
export function htmlReport(m: RunModel, title = 'agri-play run'): string {
  // JSON inside <script> must not close it: escape '<' everywhere
  const data = JSON.stringify(m.steps).replace(/</g, '\\u003c');
  // the header counts are the recap's (what the console printed), summed over the hosts
  const total = (k: (typeof RECAP_COLS)[number]) => Object.values(m.recap ?? {}).reduce((n, c) => n + (c[k] ?? 0), 0);
  const counts = RECAP_COLS.map((k) => `<span class="count-${k}">${total(k)} ${k}</span>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}: ${esc(m.playbook)}</h1>
<p id="summary">${esc(m.time)} · ${m.check ? 'check mode (nothing changed)' : 'run'} · ${seconds(m.duration)} · ${m.hosts.length} hosts · ${m.steps.length} steps · ${counts}</p>${lanesLine(m)}
${legend()}
<h2>Plays (top to bottom; a play starts when those above it that it comes after have ended; plays in one row run side by side; grey: did not run)</h2>
<div class="scroll">${dag(m.plays)}</div>
<h2>Timeline (one row per host; hover a step for its name, click it for details and diff)</h2>
${filters(m)}
<div class="scroll">${gantt(m)}</div>
<pre id="detail">Click a step.</pre>
<h2>Recap</h2>
${recap(m)}
<script type="application/json" id="steps">${data}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Plays in lanes: each lane (site) done at its own time, side by side. */
function lanesLine(m: RunModel): string {
  const lanes = Object.entries(m.lanes).sort((a, b) => a[0].localeCompare(b[0]));
  return lanes.length ? `\n<p id="lanes">lanes, each at its own pace: ${lanes.map(([k, t]) => `${esc(k || '(none)')} done at ${seconds(t)}`).join(' · ')}</p>` : '';
}
