// Jinja's `{% import 'x' as m with context %}` and `{% from 'x' import m with context %}` hand the
// imported template the importer's variables *and its locals* (Jinja's `dump_local_context`): a
// `{% set %}` inside a macro is seen by what that macro imports with context. nunjucks passes only
// the template's top-level variables, so a macro imported from inside another macro saw the
// template-level values (ansible's template target, 72615.yml).

type Frame = { variables: Record<string, unknown>; parent: Frame | null };
type Compiler = { _emitLine(s: string): void };

/** The context's variables with the frame's locals over them, innermost last (loop.* helpers left out). */
export function withLocals(vars: Record<string, unknown>, frame: Frame | null): Record<string, unknown> {
  const chain: Frame[] = [];
  for (let f = frame; f; f = f.parent) chain.push(f);
  let out: Record<string, unknown> | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    for (const [k, v] of Object.entries(chain[i].variables)) {
      if (k.includes('.') || v === undefined) continue;
      out ??= { ...vars };
      out[k] = v;
    }
  }
  return out ?? vars;
}

/** Makes the compiled import statements pass `runtime.py.withLocals(...)` instead of the bare variables. */
export function patchImports(C: Record<string, unknown>): void {
  for (const name of ['compileImport', 'compileFromImport']) {
    const original = C[name] as (this: Compiler, node: unknown, frame: unknown) => void;
    C[name] = function (this: Compiler, node: unknown, frame: unknown) {
      const emit = this._emitLine;
      this._emitLine = (s: string) => emit.call(this, s.replace('.getExported(context.getVariables(), frame, ', '.getExported(runtime.py.withLocals(context.getVariables(), frame), frame, '));
      try {
        return original.call(this, node, frame);
      } finally {
        this._emitLine = emit;
      }
    };
  }
}
