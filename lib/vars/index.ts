export { renderText, renderValue, type JinjaOptions, evaluate, evaluateDefined, hasTemplate, UndefinedVariable, TemplateSyntax, TemplateError, OMIT, templateIssues, templateCatalog, type TemplateIssues } from './template.js';
export { Redactor } from './redact.js';
export { DopplerClient, SecretError, dopplerFromEnv, type DopplerScope, type DopplerOptions } from './doppler.js';
export { SecretStore, SecretsPending, useSecrets } from './secrets.js';
export { lookup, query, addLookup, hasLookup, withLookup } from './jinja/lookups.js';
export { loadVarsFiles } from './files.js';
import './template-lookup.js';
export { resolveVars, templatedKeys } from './resolve.js';
export { registerRuntimeFn, runtimeVars } from './runtime-fns.js';
