import { isDeepStrictEqual } from 'node:util';
import nunjucks from 'nunjucks';

type CompareNode = { expr: unknown; ops: { type: string; expr: unknown }[] };
type CompilerProto = {
  compile(node: unknown, frame: unknown): void;
  _emit(s: string): void;
  compileCompare(node: CompareNode, frame: unknown): void;
  compileAdd(node: { left: unknown; right: unknown }, frame: unknown): void;
};

/**
 * Jinja compares lists and dicts by value (`out.stdout_lines == ['a']`, `{'a': 1} in items`);
 * nunjucks compiles `==` and `in` to JavaScript, which compares objects by reference. Patch the
 * two so conditions written for Ansible mean the same here.
 */
export function patchJinjaEquality(): void {
  const n = nunjucks as unknown as { compiler: { Compiler: { prototype: CompilerProto } }; runtime: Record<string, unknown> };
  if (n.runtime.agriEq) return;
  n.runtime.agriEq = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && typeof b === 'object' && isDeepStrictEqual(a, b));
  const originalIn = n.runtime.inOperator as (k: unknown, v: unknown) => boolean;
  n.runtime.inOperator = (key: unknown, val: unknown) => (Array.isArray(val) && key !== null && typeof key === 'object' ? val.some((x) => isDeepStrictEqual(x, key)) : originalIn(key, val));
  // Jinja's + joins lists (`[a] + ([b] if c else [])`); JavaScript's would make a string
  n.runtime.agriAdd = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : (a as number) + (b as number));
  const proto = n.compiler.Compiler.prototype;
  proto.compileAdd = function (this: CompilerProto, node: { left: unknown; right: unknown }, frame: unknown) {
    this._emit('runtime.agriAdd(');
    this.compile(node.left, frame);
    this._emit(',');
    this.compile(node.right, frame);
    this._emit(')');
  };
  const original = proto.compileCompare;
  proto.compileCompare = function (this: CompilerProto, node: CompareNode, frame: unknown) {
    const op = node.ops.length === 1 ? node.ops[0].type : undefined;
    if (op !== '==' && op !== '!=') return original.call(this, node, frame);
    this._emit(op === '==' ? 'runtime.agriEq(' : '!runtime.agriEq(');
    this.compile(node.expr, frame);
    this._emit(',');
    this.compile(node.ops[0].expr, frame);
    this._emit(')');
  };
}
