// The compat playbooks' tests, part 1 of 2 (test/compat-suite.ts).
import { compatTests } from './compat-suite.js';

compatTests(0, 2);
