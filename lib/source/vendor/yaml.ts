// yaml as one file: see typebox.ts. Its Node build is CommonJS, so the names used are listed.
export { parse, stringify, parseAllDocuments, parseDocument, LineCounter, Document, Scalar, visit, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
export type { Node, Tags } from 'yaml';
