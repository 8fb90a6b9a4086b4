import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands } from './registry.ts';

test('every registered command loads, under its own name and with the summary the registry shows', async () => {
  for (const entry of commands) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, `summary of '${entry.name}' drifted from its command`);
  }
});

test('command names are unique', () => {
  const names = commands.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
});
