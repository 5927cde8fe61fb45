// ansible-core 2.14's LinuxHardware get_device_facts and get_lvm_facts (module_utils/facts/hardware/
// linux.py): /sys/block's devices with their partitions, holders, links and sizes, /dev/disk's links,
// lspci's host names, and vgs/lvs/pvs as root. DEVICES is the facts script's part (after SYSTEM,
// which put the sbin folders on PATH, as get_bin_path looks there; `r` reads a file's first line).
import { bytesToHuman } from '../../source/formatters.js';

export const DEVICES = `command -v lspci >/dev/null && lspci -D 2>/dev/null | sed 's/^/pci=/'
for t in id uuid label; do for e in /dev/disk/by-$t/*; do [ -L "$e" ] && l=$(readlink "$e") && printf 'dl_%s=%s %s\\n' "$t" "\${e##*/}" "\${l##*/}"; done; done
for e in /sys/block/*/slaves/*; do [ -e "$e" ] && echo "slave=$e"; done
sg=$(command -v sg_inq) && echo sg_inq=1
ls -l /sys/block 2>/dev/null | sed -n 's/.* \\([^ ]*\\) -> \\(.*\\)$/blk_link=\\1 \\2/p'
for b in $(ls -U /sys/block 2>/dev/null); do s=/sys/block/$b; echo "blk=$b"
  [ -L "$s" ] || echo "b.nolink=$(ls -U "$s" 2>/dev/null | grep -c device)"
  for k in device/vendor device/model device/sas_address device/sas_device_handle device/serial removable queue/discard_granularity queue/rotational queue/scheduler size queue/logical_block_size queue/hw_sector_size; do r "$s/$k" 2>/dev/null && echo "b.$k=$v"; done
  [ -n "$sg" ] && o=$("$sg" "/dev/$b" 2>/dev/null) && printf '%s\\n' "$o" | grep -E '(Unit serial|Serial) number:' | sed 's/^/b.sg_inq=/'
  for h in "$s"/holders/*; do [ -e "$h" ] && { r "$h/dm/name" 2>/dev/null; echo "b.holder=\${h##*/} $v"; }; done
  for pd in "$s/$b"*; do [ -d "$pd" ] || continue; e=\${pd##*/}; case $e in *[0-9]*) echo "part=$e"
    for k in start size queue/logical_block_size queue/hw_sector_size; do r "$pd/$k" 2>/dev/null && echo "p.$k=$v"; done
    for h in "$pd"/holders/*; do [ -e "$h" ] && { r "$h/dm/name" 2>/dev/null; echo "p.holder=\${h##*/} $v"; }; done ;; esac; done
done
if [ "$(id -ru)" = 0 ] && command -v vgs >/dev/null; then echo lvm=1; lo='--noheadings --nosuffix --units g --separator ,'
  vgs $lo 2>/dev/null | sed 's/^/vgs=/'
  command -v lvs >/dev/null && lvs $lo 2>/dev/null | sed 's/^/lvs=/'
  if command -v pvs >/dev/null && o=$(pvs $lo 2>/dev/null); then printf '%s\\n' "$o" | sed 's/^/pvs=/'
    for d in $(printf '%s\\n' "$o" | cut -d, -f1); do case $d in /dev/dm-*) n=$(dmsetup info -C --noheadings -o name "$d" 2>/dev/null) && echo "dm_name=$d $n" ;; esac; done; fi
fi`;

type Dict = Record<string, unknown>;

/** get_file_content: the text stripped, or the default for a missing or empty file. */
const content = (v: string | undefined, dflt: unknown = null): unknown => (v === undefined || v.trim() === '' ? dflt : v.trim());

/** A device's or a partition's `k=v` lines, and its holders (`NAME DM_NAME`). */
interface Entry {
  name: string;
  files: Map<string, string>;
  holders: string[];
  parts: Entry[];
  sgInq: string[];
}

function entries(lines: string[]): Entry[] {
  const out: Entry[] = [];
  const entry = (name: string): Entry => ({ name, files: new Map(), holders: [], parts: [], sgInq: [] });
  let dev: Entry | undefined;
  let part: Entry | undefined;
  for (const l of lines) {
    const i = l.indexOf('=');
    const [k, v] = [l.slice(0, i), l.slice(i + 1)];
    if (k === 'blk') out.push((dev = entry(v))), (part = undefined);
    else if (k === 'part' && dev) dev.parts.push((part = entry(v)));
    else if (k === 'b.holder' && dev) dev.holders.push(v);
    else if (k === 'b.sg_inq' && dev) dev.sgInq.push(v);
    else if (k.startsWith('b.') && dev) dev.files.set(k.slice(2), v);
    else if (k === 'p.holder' && part) part.holders.push(v);
    else if (k.startsWith('p.') && part) part.files.set(k.slice(2), v);
  }
  return out;
}

/** get_holders: the dm- holders, each by its device-mapper name where it has one. */
function holders(e: Entry): string[] {
  return e.holders.map((h) => [h.slice(0, h.indexOf(' ')), h.slice(h.indexOf(' ') + 1)]).filter(([dir]) => dir.startsWith('dm-')).map(([dir, name]) => name.trim() || dir);
}

/** get_device_links for each of /dev/disk's folders: target → its link names, sorted. */
function linksOf(pairs: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of pairs) {
    const [name, target] = [p.slice(0, p.lastIndexOf(' ')), p.slice(p.lastIndexOf(' ') + 1)];
    const names = (out[target] ??= []);
    if (!names.includes(name)) names.push(name);
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

/** devices and device_links, as get_device_facts builds them. */
export function deviceFacts(lines: string[], many: Record<string, string[]>): Dict {
  const devs = entries(lines.filter((l) => /^(blk|part|[bp]\.[^=]*)=/.test(l)));
  if (!devs.length && !lines.some((l) => l.startsWith('blk='))) return { devices: {} };
  const masters: Record<string, string[]> = {};
  for (const p of many.slave ?? []) {
    const el = p.split('/');
    const list = (masters[el[5]] ??= []);
    if (!list.includes(el[3])) list.push(el[3]);
  }
  for (const k of Object.keys(masters)) masters[k].sort();
  const links: Record<string, Record<string, string[]>> = { ids: linksOf(many.dl_id ?? []), uuids: linksOf(many.dl_uuid ?? []), labels: linksOf(many.dl_label ?? []), masters };
  const linksFor = (name: string) => Object.fromEntries(Object.entries(links).map(([t, m]) => [t, m[name] ?? []]));
  const wwn: Record<string, string> = {};
  for (const p of many.dl_id ?? []) if (p.startsWith('wwn-')) wwn[p.slice(p.lastIndexOf(' ') + 1)] = p.slice(4, p.lastIndexOf(' '));
  const uuidOf = (part: string) => {
    const hit = (many.dl_uuid ?? []).find((p) => p.slice(p.lastIndexOf(' ') + 1) === part);
    return hit === undefined ? null : hit.slice(0, hit.lastIndexOf(' '));
  };
  const pci = (many.pci ?? []).join('\n');
  const linked = new Map((many.blk_link ?? []).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  const devices: Dict = {};
  for (const e of devs) {
    const f = (k: string) => e.files.get(k);
    const path = linked.get(e.name) ?? e.name;
    const d: Dict = { virtual: f('nolink') !== undefined && Number(f('nolink')) > 0 ? 0 : 1, links: linksFor(e.name) };
    for (const k of ['vendor', 'model', 'sas_address', 'sas_device_handle']) d[k] = content(f(`device/${k}`));
    const sg = e.sgInq.map((l) => /(?:Unit serial|Serial) number:\s+(\w+)/.exec(l)?.[1]).find(Boolean);
    // (where sg_inq is installed, only its answer: ansible-core reads the serial file only without it)
    const serial = many.sg_inq ? sg : content(f('device/serial'));
    if (serial) d.serial = serial;
    d.removable = content(f('removable'));
    d.support_discard = content(f('queue/discard_granularity'));
    if (wwn[e.name]) d.wwn = wwn[e.name];
    d.partitions = {};
    for (const p of e.parts) {
      const partname = new RegExp(`(${e.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[p]?\\d+)`).exec(p.name)?.[1];
      if (!partname) continue;
      const pf = (k: string) => p.files.get(k);
      const sectors = content(pf('size'), 0);
      (d.partitions as Dict)[partname] = {
        links: linksFor(partname), start: content(pf('start'), 0), sectors,
        sectorsize: content(pf('queue/logical_block_size')) || content(pf('queue/hw_sector_size'), 512),
        size: bytesToHuman(Number(sectors) * 512), uuid: uuidOf(partname), holders: holders(p),
      };
    }
    d.rotational = content(f('queue/rotational'));
    const sched = content(f('queue/scheduler'));
    d.scheduler_mode = typeof sched === 'string' ? (/.*?(\[(.*)\])/.exec(sched)?.[2] ?? '') : '';
    d.sectors = content(f('size')) || 0;
    d.sectorsize = content(f('queue/logical_block_size')) || content(f('queue/hw_sector_size'), 512);
    d.size = bytesToHuman(Number(d.sectors) * 512);
    d.host = '';
    const m = /.+\/([a-f0-9]{4}:[a-f0-9]{2}:[0|1][a-f0-9]\.[0-7])\//.exec(`/sys/block/${path}`);
    const host = m && pci ? new RegExp(`^${m[1].replace(/\./g, '\\.')}\\s(.*)$`, 'm').exec(pci) : null;
    if (host) d.host = host[1];
    d.holders = holders(e);
    devices[e.name] = d;
  }
  return { devices, device_links: links };
}

/** get_lvm_facts: 'N/A' unless root with vgs; else vgs, lvs and pvs (a /dev/dm-N PV by its mapper name). */
export function lvmFacts(raw: Record<string, string>, many: Record<string, string[]>): Dict {
  if (!raw.lvm) return { lvm: 'N/A' };
  const items = (l: string) => l.trim().split(',');
  const vgs: Dict = {};
  for (const l of many.vgs ?? []) {
    const it = items(l);
    vgs[it[0]] = { size_g: it[it.length - 2], free_g: it[it.length - 1], num_lvs: it[2], num_pvs: it[1] };
  }
  const lvs: Dict = {};
  for (const l of many.lvs ?? []) {
    const it = items(l);
    lvs[it[0]] = { size_g: it[3], vg: it[1] };
  }
  const mapper = new Map((many.dm_name ?? []).map((x) => [x.slice(0, x.indexOf(' ')), `/dev/mapper/${x.slice(x.indexOf(' ') + 1).trimEnd()}`]));
  const pvs: Dict = {};
  for (const l of many.pvs ?? []) {
    const it = items(l);
    pvs[mapper.get(it[0]) ?? it[0]] = { size_g: it[4], free_g: it[5], vg: it[1] };
  }
  return { lvm: { lvs, vgs, pvs } };
}
