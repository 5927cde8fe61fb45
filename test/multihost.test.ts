import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from './helpers.js';
import { agriOutcomes, difference, INVENTORY, MULTIHOST, optionsOf, type Outcomes } from './play-outcomes.js';

// Playbooks over three hosts that the differential fuzzer (npm run play-diff) found agri-play
// running otherwise than ansible-core: each host's task outcomes, in order, and the recap, as
// ansible-core gave them (recorded by npm run record:multihost).
const expected = JSON.parse(readFileSync(join(MULTIHOST, 'expected.json'), 'utf8')) as { ansible_core: string; cases: Record<string, Outcomes> };

/** The task files the cases include (`inc_*.yaml`), beside each. */
const INCLUDED = Object.fromEntries(readdirSync(MULTIHOST).filter((f) => f.startsWith('inc_')).map((f) => [f, readFileSync(join(MULTIHOST, f))]));

for (const [name, want] of Object.entries(expected.cases))
  test(`multihost ${name}: each host's outcomes and the recap as under ansible-core ${expected.ansible_core}`, async () => {
    const d = fixture({ 'inv.yaml': INVENTORY, 'p.yaml': readFileSync(join(MULTIHOST, name)), ...INCLUDED });
    const got = await agriOutcomes(d, optionsOf(name));
    assert.equal(difference(want, got), undefined);
    // (the run ran: hosts in its recap; a batch that ends the playbook leaves the others out of it)
    assert.ok(Object.keys(got.recap).length >= 2, JSON.stringify(got.recap));
  });
