// The platform's own two Ansible playbooks (test/third_party/seed-ansible, byte for byte from the
// repository agri-play replaces), run the way their users run them — from that folder, its
// ansible.cfg applying, secrets in the environment (`doppler run --`), the cluster from KUBECONFIG
// — against the lab's Kubernetes API and chart repository. Used by test/seed.test.ts (agri-play)
// and scripts/record-seed.ts (ansible-core, recorded once into seed.expected.json).
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { startChartRepo, startKubeApi } from '../lib/lab/index.js';
import { recapLine } from './compat-ref.js';
import { fixture, root } from './helpers.js';

export const SEED = join(root, 'test/third_party/seed-ansible');
export const SEED_EXPECTED = join(root, 'test/third_party/seed.expected.json');
/** Each playbook twice: the first run and the re-run. */
export const SEED_RUNS = ['example.yaml', 'robusta/robusta_helm_install.yml'];
export type SeedRecaps = Record<string, Record<string, number>[]>;

const SECRETS = { ROBUSTA_ACCOUNT_ID: 'seed-account', ROBUSTA_SIGNING_KEY: 'seed-signing-key-0123', ROBUSTA_UI_SINK_TOKEN: 'seed-sink-token-0123', DOPPLER_PROJECT: 'aggrik8s-ansible', DOPPLER_CONFIG: 'dev', DOPPLER_ENVIRONMENT: 'dev' };

/** A copy of the seed folder, a fresh simulated cluster and chart repository; `run` runs a playbook there with `cmd`. */
export async function seedLab(): Promise<{ dir: string; env: Record<string, string>; chartUrl: string; close: () => Promise<void> }> {
  const [api, repo] = await Promise.all([startKubeApi({ readyDelayMs: 10 }), startChartRepo()]);
  const dir = fixture({});
  cpSync(SEED, dir, { recursive: true });
  const kubeconfig = join(dir, '..', `${dir.split('/').pop()}.kubeconfig`);
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: talos-east, cluster: {server: "${api.url}"}}]\ncontexts: [{name: admin@talos-east, context: {cluster: talos-east, user: admin}}]\ncurrent-context: admin@talos-east\nusers: [{name: admin, user: {}}]\n`);
  const helm = join(dir, '..', `${dir.split('/').pop()}.helm`);
  const env = { ...SECRETS, KUBECONFIG: kubeconfig, HELM_CONFIG_HOME: join(helm, 'config'), HELM_CACHE_HOME: join(helm, 'cache'), HELM_DATA_HOME: join(helm, 'data'), NO_COLOR: '1', ANSIBLE_NOCOLOR: '1' };
  // the kubeconfig and helm's folders sit beside the copy (not in it, where the playbooks run): removed with the lab
  const close = async (): Promise<void> => {
    await Promise.all([api.close(), repo.close()]);
    rmSync(kubeconfig, { force: true });
    rmSync(helm, { recursive: true, force: true });
  };
  return { dir, env, chartUrl: `${repo.url}/robusta`, close };
}

/** Runs each seed playbook twice with `cmd` (agri-play or ansible-playbook), from the seed folder. */
export async function seedRecaps(cmd: string[], extraEnv: Record<string, string> = {}): Promise<SeedRecaps> {
  const lab = await seedLab();
  try {
    const out: SeedRecaps = {};
    for (const p of SEED_RUNS) {
      out[p] = [];
      for (let i = 0; i < 2; i++) {
        const r = await execa(cmd[0], [...cmd.slice(1), p, '-e', `helm_chart_url=${lab.chartUrl}`], { cwd: lab.dir, reject: false, timeout: 300_000, env: { ...lab.env, ...extraEnv } });
        out[p].push(recapLine(String(r.stdout)));
      }
    }
    return out;
  } finally {
    await lab.close();
  }
}
