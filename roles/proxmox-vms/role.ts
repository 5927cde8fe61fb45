import { defineRole, Type } from 'agri-play';

/** The Talos VM of each node host, on its site's Proxmox VE host (the VM work is delegated there, over SSH). */
export default defineRole({
  name: 'proxmox-vms',
  description: "The Talos VM of each node host on its site's Proxmox VE node",
  params: Type.Object({
    vmid: Type.Integer({ minimum: 100, maximum: 999999999, description: 'Proxmox VMID (100-999999999)' }),
    vlan: Type.Integer({ minimum: 1, maximum: 4094, description: 'VLAN tag of net0 (1-4094)' }),
    pve_host: Type.String({ description: "inventory host of the site's PVE node" }),
    site: Type.String({ pattern: '^[a-z0-9_][a-z0-9_.+-]*$' }),
    node_role: Type.Union([Type.Literal('controlplane'), Type.Literal('worker')]),
    vm_cores: Type.Integer({ minimum: 1 }),
    vm_memory_mib: Type.Integer({ minimum: 512 }),
    vm_disk_gb: Type.Integer({ minimum: 1 }),
    vm_data_disk_gb: Type.Optional(Type.Integer({ minimum: 1, description: 'extra data disk virtio1 (Ceph); workers only' })),
    vm_state: Type.Optional(Type.Union([Type.Literal('started'), Type.Literal('stopped'), Type.Literal('present'), Type.Literal('absent')])),
    vm_cpu: Type.Optional(Type.String()),
    vm_storage: Type.Optional(Type.String()),
    vm_bridge: Type.Optional(Type.String()),
    vm_ip_timeout: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  // Talos needs x86-64-v2 (kvm64 crashes at boot); the guest agent gets 180 s to report an address
  defaults: { vm_state: 'started', vm_cpu: 'host', vm_storage: 'local-lvm', vm_ip_timeout: 180 },
  tasks(t, { host, params: p, vars }) {
    const storage = p.vm_storage ?? 'local-lvm';
    const disks = [{ slot: 'virtio0', size: p.vm_disk_gb, storage }, ...(p.vm_data_disk_gb !== undefined ? [{ slot: 'virtio1', size: p.vm_data_disk_gb, storage }] : [])];
    t.proxmox_vm(
      {
        vmid: p.vmid,
        name: host,
        state: p.vm_state,
        cores: p.vm_cores,
        cpu: p.vm_cpu,
        memory: p.vm_memory_mib,
        balloon: 0,
        disks,
        net: { bridge: p.vm_bridge ?? String(vars.pve_bridge ?? 'vmbr0'), tag: p.vlan },
        iso: `local:iso/${String(vars.talos_iso)}`,
        boot: 'order=virtio0;ide2',
        agent: true,
        ostype: 'l26',
        tags: ['talos', p.site, p.node_role],
      },
      { name: `VM ${p.vmid}`, delegate_to: p.pve_host },
    );
    if (p.vm_state !== 'started') return;
    const ip = t.proxmox_vm_ip({ vmid: p.vmid, timeout: p.vm_ip_timeout }, { name: 'address from the guest agent', delegate_to: p.pve_host });
    // later steps and other hosts reach the node at the address its guest agent reports
    t.set_fact({ ansible_host: () => String(ip.result.ip) }, { name: 'reach the node at its address' });
  },
});
