// The library's pure parts: ordering, back-off, token expiry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay } from '../dist/backoff.js';
import { RateBucket } from '../dist/rate-bucket.js';
import { SeqOrder } from '../dist/seq-order.js';
import { tokenExpiry } from '../dist/token.js';
import { mintToken } from './support/tokens.mjs';

const m = (seq) => ({ seq });

test('SeqOrder lets each seq through once, in order, holding what comes ahead of a gap', () => {
  const counters = { duplicates: 0 };
  const order = new SeqOrder(0, counters);

  assert.deepEqual(order.accept(m(1)), [m(1)]);
  assert.deepEqual(order.accept(m(3)), []);
  assert.equal(order.hasGap, true);
  assert.deepEqual(order.accept(m(3)), []);
  assert.deepEqual(order.accept(m(2)), [m(2), m(3)]);
  assert.equal(order.hasGap, false);
  assert.deepEqual(order.accept(m(1)), []);
  assert.equal(counters.duplicates, 2);
  assert.equal(order.last, 3);
});

test('SeqOrder gives up a gap that cannot be recovered and delivers what waited behind it', () => {
  const order = new SeqOrder(5);
  order.accept(m(9));
  order.accept(m(10));

  assert.deepEqual(order.skipTo(7), []);
  assert.deepEqual(order.skipTo(8), [m(9), m(10)]);
  assert.equal(order.last, 10);
  assert.deepEqual(order.skipTo(4), []);
  assert.equal(order.last, 10);
});

test('back-off doubles up to its cap, and jitter only shortens it', () => {
  const options = { initialDelay: 100, maxDelay: 1000, factor: 2, jitter: 0.5 };
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, options, () => 0)), [100, 200, 400, 800, 1000, 1000]);
  assert.deepEqual([0, 3, 10].map((a) => backoffDelay(a, options, () => 1)), [50, 400, 500]);
  assert.equal(backoffDelay(1e6, options, () => 0), 1000);
});

test('tokenExpiry reads exp from a JWT and nothing from anything else', () => {
  const before = Date.now();
  const exp = tokenExpiry(mintToken('secret', 'u', { expiresIn: 60 }));
  assert.ok(exp >= Math.floor(before / 1000) * 1000 + 59_000 && exp <= before + 61_000);
  assert.equal(tokenExpiry('not-a-token'), undefined);
  assert.equal(tokenExpiry('a.%%%.c'), undefined);
});

test('RateBucket lets a burst through, then one frame per 1/perSecond, and says how long to wait', () => {
  const bucket = new RateBucket(3, 50, 1000);
  assert.deepEqual([1, 2, 3, 4].map(() => bucket.take(1000)), [true, true, true, false]);
  assert.equal(bucket.wait(1000), 20);
  assert.equal(bucket.take(1010), false);
  assert.equal(bucket.wait(1010), 10);
  assert.equal(bucket.take(1020), true);
  assert.equal(bucket.take(1020), false);
  assert.deepEqual([1, 2, 3, 4].map(() => bucket.take(61_020)), [true, true, true, false]);
});
