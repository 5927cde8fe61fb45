export { renderText, renderValue, evaluate, evaluateDefined, hasTemplate, UndefinedVariable, TemplateSyntax, OMIT } from './template.js';
export { Redactor } from './redact.js';
export { loadVarsFiles } from './files.js';
