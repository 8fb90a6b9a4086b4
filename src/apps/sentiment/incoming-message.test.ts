import assert from 'node:assert/strict';
import { test } from 'node:test';
import { incomingMessageSerde, socialMessageProblem } from './incoming-message.ts';

const good = { source: 'x', channel: 'azure', user: 'u', text: 'hi', id: '1', timestampMs: 5 };
const bytes = (value: string) => new TextEncoder().encode(value);

test('incomingMessageSerde() reads a SocialMessage and round-trips it', () => {
  const serde = incomingMessageSerde();
  const read = serde.deserialize(bytes(JSON.stringify(good)), 't');
  assert.deepEqual(read, { kind: 'message', message: good });
  assert.deepEqual(serde.deserialize(serde.serialize(read, 't'), 't'), read);
});

test('incomingMessageSerde() turns bad records into rejected values that say why', () => {
  const serde = incomingMessageSerde();
  const notJson = serde.deserialize(bytes('{oops'), 't');
  assert.equal(notJson.kind, 'rejected');
  assert.ok(
    notJson.kind === 'rejected' &&
      notJson.rejected.reason.startsWith('not JSON') &&
      notJson.rejected.preview === '{oops',
  );
  assert.equal(socialMessageProblem(null), 'not an object but null');
  assert.equal(
    socialMessageProblem({ ...good, source: 'irc' }),
    'source "irc" is not one of slack, x, generator',
  );
  assert.equal(socialMessageProblem({ ...good, text: 3 }), 'text is not a string');
  assert.equal(socialMessageProblem({ ...good, timestampMs: -1 }), 'timestampMs -1 is not an integer >= 0');
  assert.equal(socialMessageProblem(good), null);
});
