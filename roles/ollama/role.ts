import { defineRole, Type } from 'agri-play';

/**
 * Ollama (local LLMs) on the GPU nodes (selected by label, tolerating their taint), pulling the
 * models listed in `ollama_models`. The same release the YAML role made, written as code.
 */
export default defineRole({
  name: 'ollama',
  description: 'Ollama (local LLMs) on the GPU nodes, pulling the models listed in ollama_models',
  params: Type.Object({
    ollama_version: Type.String(),
    ollama_chart_repo: Type.Optional(Type.String()),
    ollama_models: Type.Optional(Type.Array(Type.String())),
    ollama_gpu: Type.Optional(Type.Boolean()),
    ollama_node_selector: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
  defaults: { ollama_version: '1.30.0', ollama_chart_repo: 'https://otwld.github.io/ollama-helm/', ollama_models: [], ollama_gpu: false, ollama_node_selector: {} },
  tasks(t, { params: p }) {
    t.helm_release(
      {
        name: 'ollama',
        namespace: 'ollama',
        chart: 'ollama',
        repo: p.ollama_chart_repo,
        chart_version: p.ollama_version,
        wait: true,
        timeout: '10m',
        values: { ollama: { gpu: { enabled: p.ollama_gpu ?? false, type: 'nvidia', number: 1 }, models: { pull: p.ollama_models ?? [] } }, nodeSelector: p.ollama_node_selector ?? {} },
      },
      // a transient API error (etcd timeout, apiserver restarting) gets two more tries
      { name: `ollama ${p.ollama_version}`, retries: 2, delay: 3 },
    );
  },
});
