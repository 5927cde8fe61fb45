import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { stringify } from '../../source/vendor/yaml.js';
import { CATALOG, type LabChart, type Workload } from './catalog.js';

/** A workload's Go template: labels, replicas from values, a values checksum so value changes roll it. */
function workloadTemplate(w: Workload): string {
  const name = `{{ .Release.Name }}${w.suffix}`;
  const body = `---
apiVersion: apps/v1
kind: ${w.kind}
metadata:
  name: ${name}
  namespace: {{ .Release.Namespace }}
  labels: {app.kubernetes.io/name: ${name}, app.kubernetes.io/instance: {{ .Release.Name }}, helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}}
  {{- if (.Values.lab | default dict).neverReady }}
  annotations: {lab.agri-play.dev/never-ready: "true"}
  {{- end }}
spec:
${w.replicas ? `  replicas: {{ .Values.${w.replicas} }}\n` : ''}${w.kind === 'StatefulSet' ? `  serviceName: ${name}\n` : ''}  selector: {matchLabels: {app.kubernetes.io/name: ${name}}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: ${name}}
      annotations: {checksum/values: {{ toJson .Values | sha256sum | quote }}}
    spec:
      serviceAccountName: {{ .Release.Name }}
      containers:
      - name: main
        image: "${w.image}:{{ .Chart.AppVersion }}"
`;
  return w.when ? `{{- if .Values.${w.when} }}\n${body}{{- end }}\n` : body;
}

const COMMON = {
  'serviceaccount.yaml': `apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
`,
  'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
  namespace: {{ .Release.Namespace }}
data:
  values.yaml: |
{{ toYaml .Values | indent 4 }}
`,
  'NOTES.txt': `{{ .Chart.Name }} {{ .Chart.Version }} is installed in {{ .Release.Namespace }} (agri-play lab chart: no real images run).\n`,
};

/** The chart as helm packages it: a gzipped tar with `<name>/Chart.yaml`, values, templates, crds. */
export async function packChart(c: LabChart, version: string): Promise<Buffer> {
  const files: Record<string, string> = {
    'Chart.yaml': stringify({ apiVersion: 'v2', name: c.name, version, appVersion: c.appVersion(version), description: c.description, type: 'application' }),
    'values.yaml': stringify(c.values),
    ...(c.schema ? { 'values.schema.json': JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...c.schema }, null, 2) } : {}),
    ...Object.fromEntries(Object.entries(COMMON).map(([k, v]) => [`templates/${k}`, v])),
    ...Object.fromEntries(c.workloads.map((w, i) => [`templates/workload-${i}.yaml`, workloadTemplate(w)])),
    ...Object.fromEntries(Object.entries(c.templates ?? {}).map(([k, v]) => [`templates/${k}`, v])),
    ...Object.fromEntries(Object.entries(c.crds ?? {}).map(([k, v]) => [`crds/${k}`, v])),
  };
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (b) => chunks.push(b as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [path, text] of Object.entries(files)) pack.entry({ name: `${c.name}/${path}`, mode: 0o644, mtime: new Date(0) }, text);
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export interface ChartRepo {
  url: string;
  port: number;
  /** Every chart file fetched (name-version.tgz), for tests. */
  fetched: string[];
  close(): Promise<void>;
}

/**
 * A local chart repository (index.yaml + packaged charts) over HTTP. Any path prefix serves
 * the same repository, so `…/cilium` and `…/rook/release` stand in for the real repos' URLs.
 */
export async function startChartRepo(opts: { port?: number; charts?: LabChart[] } = {}): Promise<ChartRepo> {
  const charts = opts.charts ?? CATALOG;
  const packed = new Map<string, Buffer>();
  const entries: Record<string, unknown[]> = {};
  for (const c of charts)
    for (const v of c.versions) {
      const tgz = await packChart(c, v);
      packed.set(`${c.name}-${v}.tgz`, tgz);
      (entries[c.name] ??= []).unshift({
        apiVersion: 'v2',
        name: c.name,
        version: v,
        appVersion: c.appVersion(v),
        description: c.description,
        type: 'application',
        created: '2026-01-01T00:00:00Z',
        digest: createHash('sha256').update(tgz).digest('hex'),
        urls: [`charts/${c.name}-${v}.tgz`],
      });
    }
  const index = stringify({ apiVersion: 'v1', entries, generated: '2026-01-01T00:00:00Z' });
  const fetched: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.endsWith('/index.yaml')) {
      res.writeHead(200, { 'content-type': 'application/x-yaml' });
      return res.end(index);
    }
    const file = /\/charts\/([^/]+\.tgz)$/.exec(path)?.[1];
    const tgz = file ? packed.get(file) : undefined;
    if (tgz) {
      fetched.push(file!);
      res.writeHead(200, { 'content-type': 'application/gzip' });
      return res.end(tgz);
    }
    res.writeHead(404);
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    fetched,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
