// ansible-core 2.14's LinuxVirtual.get_virtual_facts, step by step in its order (the first finding
// names virtualization_type and _role; every finding adds to virtualization_tech_guest/_host), from
// the lines the facts script's SYSTEM part prints (facts-system.ts).

type Many = Record<string, string[]>;
type Raw = Record<string, string>;

const CONTAINERS = ['docker', 'lxc', 'podman', 'openvz', 'containerd'];
const KVM_SYS_VENDORS = ['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'];
/** The cpuinfo lines that name an emulated or partitioned CPU, and what they mean. */
const CPU_SIGNS: [RegExp, string][] = [
  [/^model name.*QEMU Virtual CPU/, 'kvm'],
  [/^vendor_id.*User Mode Linux/, 'uml'],
  [/^model name.*UML/, 'uml'],
  [/^machine.*CHRP IBM pSeries .emulated by qemu./, 'kvm'],
  [/^vendor_id.*PowerVM Lx86/, 'powervm_lx86'],
  [/^vendor_id.*IBM\/S390/, 'PR/SM'],
];

export function virtualFacts(raw: Raw, many: Many): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  const guest = new Set<string>();
  const host = new Set<string>();
  let found = false;
  /** A finding: its tech added, and the type (and role) named when nothing was found before. */
  const finding = (set: Set<string>, tech: string, type: string, role?: string) => {
    set.add(tech);
    if (!found) {
      v.virtualization_type = type;
      if (role) v.virtualization_role = role;
      found = true;
    }
  };
  const exists = new Set(many.exists ?? []);
  for (const line of many.cg ?? []) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) finding(guest, 'docker', 'docker', 'guest');
    if (/\/lxc\//.test(line) || /\/machine.slice\/machine-lxc/.test(line)) finding(guest, 'lxc', 'lxc', 'guest');
    if (/\/system.slice\/containerd.service/.test(line)) finding(guest, 'containerd', 'containerd', 'guest');
  }
  for (const line of many.penv ?? []) {
    if (/container=lxc/.test(line)) finding(guest, 'lxc', 'lxc', 'guest');
    if (/container=podman/.test(line)) finding(guest, 'podman', 'podman', 'guest');
    if (/^container=./.test(line)) finding(guest, 'container', 'container', 'guest');
  }
  if (exists.has('/proc/vz') && !exists.has('/proc/lve')) {
    v.virtualization_type = 'openvz';
    if (exists.has('/proc/bc')) {
      host.add('openvz');
      if (!found) v.virtualization_role = 'host';
    } else {
      guest.add('openvz');
      if (!found) v.virtualization_role = 'guest';
    }
    found = true;
  }
  const sdContainer = raw.sd_container?.trim();
  if (sdContainer) finding(guest, sdContainer, sdContainer, 'guest');
  if (exists.has('/.dockerenv') || exists.has('/.dockerinit')) finding(guest, 'docker', 'docker', 'guest');
  if (CONTAINERS.some((c) => guest.has(c)) || sdContainer) guest.add('container');
  if (exists.has('/proc/xen')) {
    if (raw.xen_host) host.add('xen');
    if (!found) Object.assign(v, { virtualization_type: 'xen', virtualization_role: raw.xen_host ? 'host' : 'guest' });
    found = true;
  }
  // (a guest is assumed from here on, until the DMI checks below find nothing)
  if (!found) v.virtualization_role = 'guest';
  const [product, vendor, family, bios] = ['product_name', 'sys_vendor', 'product_family', 'bios_vendor'].map((k) => raw[`dmi_${k}`]?.trim() || undefined);
  const dmi = (tech: string) => finding(guest, tech, tech);
  if (product && ['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(product)) dmi('kvm');
  if (vendor === 'oVirt') dmi('oVirt');
  if (vendor === 'Red Hat' && family === 'RHV') dmi('RHV');
  else if (vendor === 'Red Hat' && product === 'RHEV Hypervisor') dmi('RHEV');
  if (product === 'VMware Virtual Platform' || product === 'VMware7,1') dmi('VMware');
  if (product === 'OpenStack Compute' || product === 'OpenStack Nova') dmi('openstack');
  if (bios === 'Xen') dmi('xen');
  if (bios === 'innotek GmbH') dmi('virtualbox');
  if (bios && ['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(bios)) dmi('kvm');
  if (vendor && KVM_SYS_VENDORS.includes(vendor)) dmi('kvm');
  if (vendor === 'KubeVirt') dmi('KubeVirt');
  if (vendor === 'Microsoft Corporation') dmi('VirtualPC');
  if (vendor === 'Parallels Software International Inc.') dmi('parallels');
  if (vendor === 'OpenStack Foundation') dmi('openstack');
  if (!found) delete v.virtualization_role;
  for (const line of many.vx ?? []) {
    if (!/^VxID:\s+\d+/.test(line)) continue;
    if (!found) v.virtualization_type = 'linux_vserver';
    const own = /^VxID:\s+0/.test(line);
    (own ? host : guest).add('linux_vserver');
    if (!found) v.virtualization_role = own ? 'host' : 'guest';
    found = true;
  }
  for (const line of many.ci ?? []) {
    const sign = CPU_SIGNS.find(([re]) => re.test(line));
    if (!sign) continue;
    let tech = sign[1];
    if (tech === 'PR/SM') {
      guest.add('PR/SM');
      if (!found) v.virtualization_type = 'PR/SM';
      if (raw.lscpu) {
        for (const hv of many.lscpu_hv ?? []) {
          guest.add(hv.trim());
          if (!found) v.virtualization_type = hv.trim();
        }
      } else {
        guest.add('ibm_systemz');
        if (!found) v.virtualization_type = 'ibm_systemz';
      }
    } else {
      guest.add(tech);
      if (!found) v.virtualization_type = tech;
    }
    tech = v.virtualization_type as string;
    if (!found) v.virtualization_role = tech === 'PR/SM' ? 'LPAR' : 'guest';
    found = true;
  }
  const modules = new Set(many.kmod ?? []);
  if (modules.has('kvm')) {
    host.add('kvm');
    if (!found) Object.assign(v, { virtualization_type: 'kvm', virtualization_role: 'host' });
    if (raw.vdsm) {
      host.add('RHEV');
      if (!found) v.virtualization_type = 'RHEV';
    }
    found = true;
  }
  if (modules.has('vboxdrv')) finding(host, 'virtualbox', 'virtualbox', 'host');
  if (modules.has('virtio')) finding(host, 'kvm', 'kvm', 'guest');
  const dmidecode = (many.dmidecode ?? []).filter((l) => !l.startsWith('#')).map((l) => l.trim()).join('');
  if (dmidecode.startsWith('VMware')) finding(guest, 'VMware', 'VMware', 'guest');
  if ((many.dmidecode ?? []).some((l) => l.includes('BHYVE'))) finding(guest, 'bhyve', 'bhyve', 'guest');
  if (exists.has('/dev/kvm')) finding(host, 'kvm', 'kvm', 'host');
  if (!found) Object.assign(v, { virtualization_type: 'NA', virtualization_role: 'NA' });
  return { ...v, virtualization_tech_guest: [...guest], virtualization_tech_host: [...host] };
}
