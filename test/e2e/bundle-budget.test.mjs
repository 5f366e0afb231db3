/**
 * The JS the browser loads before the inbox route renders stays within its budget (web/scripts/size.mjs,
 * bench P4). Checked on the build this run's stack serves, so a change that outgrows it fails here
 * instead of waiting for the next bench.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUDGET_KB, initialSize } from '../../web/scripts/size.mjs';

test('the inbox route loads at most its budget of gzipped JS before it renders', () => {
  const size = initialSize('web/dist');
  const files = size.js.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} KB`).join(', ');
  assert.ok(size.jsGzip <= BUDGET_KB * 1024, `${(size.jsGzip / 1024).toFixed(2)} KB gzipped, budget ${BUDGET_KB} KB (${files})`);
});
