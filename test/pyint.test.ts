import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactDiv, intText, jsonText } from '../lib/source/pyint.js';
import { ops, repr } from '../lib/source/python.js';

// JSON.stringify throws for a bigint: jsonText writes its digits, a plain JSON.stringify the nearest
// double (a report's data) rather than crash, and the marker jsonText uses never reaches any text
test('an int past 2**53 is written with its digits, and never as its marker', () => {
  const big = intText('12345678901234567890');
  assert.equal(typeof big, 'bigint');
  const value = { a: big, l: [big, -big as bigint, 1], s: 'text' };
  assert.equal(jsonText(value), '{"a":12345678901234567890,"l":[12345678901234567890,-12345678901234567890,1],"s":"text"}');
  assert.equal(jsonText([big], undefined, 1), '[\n 12345678901234567890\n]');
  assert.equal(JSON.stringify({ a: big }), '{"a":12345678901234567000}');
  // (text that looks like the marker is text: only a bigint's own marker is replaced)
  assert.equal(jsonText({ t: '\u{f8ff}int:5\u{f8ff}' }), JSON.stringify({ t: '\u{f8ff}int:5\u{f8ff}' }));
  assert.doesNotMatch(jsonText({ a: big }) + JSON.stringify({ a: big }), /\u{f8ff}/u);
});

test('ints are numbers inside the safe range, bigints only outside it', () => {
  assert.equal(intText('9007199254740991'), 9007199254740991);
  assert.equal(intText('-9007199254740992'), -9007199254740992n);
  assert.equal(intText('ff', 16), 255);
  assert.equal(intText('zzzzzzzzzzzzzzzz', 36), 7958661109946400884391935n);
  // an operation that comes back inside the range is a number again, so === still compares ints
  assert.equal(ops.sub(intText('9007199254740993'), 2), 9007199254740991);
  assert.equal(repr(ops.mul(2 ** 40, 2 ** 40)), '1208925819614629174706176');
  // int / int rounds once, as Python's true division (the doubles of both would round twice)
  assert.equal(exactDiv(12345678901234567890n, 10), 1234567890123456800);
  assert.equal(exactDiv(3, 10n ** 400n), 0);
});
