// The compat playbooks' tests, part 2 of 2 (test/compat-suite.ts).
import { compatTests } from './compat-suite.js';

compatTests(1, 2);
