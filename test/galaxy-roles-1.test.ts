// Public Galaxy roles on a sandboxed Debian host (test/galaxy-case.ts), group 1 of 4.
import { galaxyCase, galaxyGroup } from './galaxy-case.js';

for (const role of galaxyGroup(0)) galaxyCase(role);
