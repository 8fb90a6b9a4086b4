import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldView } from './record-view.ts';

test('fieldView() shows UTF-8 JSON as json with its text and hex', () => {
  const view = fieldView(Buffer.from('{"a":1}'));
  assert.equal(view.encoding, 'json');
  assert.equal(view.text, '{"a":1}');
  assert.equal(view.hex, Buffer.from('{"a":1}').toString('hex'));
  assert.equal(view.size, 7);
});

test('fieldView() shows UTF-8 that is not JSON as text', () => {
  assert.equal(fieldView(Buffer.from('hello world')).encoding, 'text');
  assert.equal(fieldView(Buffer.from('true story')).encoding, 'text');
});

test('fieldView() shows bytes that are not UTF-8 as binary with no text', () => {
  const view = fieldView(Buffer.from([0xff, 0x00, 0xfe]));
  assert.equal(view.encoding, 'binary');
  assert.equal(view.text, null);
  assert.equal(view.hex, 'ff00fe');
});

test('fieldView() cuts a field longer than the limit and marks it truncated', () => {
  const view = fieldView(Buffer.from('abcdefgh'), 4);
  assert.equal(view.truncated, true);
  assert.equal(view.size, 8);
  assert.equal(view.text, 'abcd');
  assert.equal(view.encoding, 'text');
});

test('fieldView() of a null field says null', () => {
  assert.deepEqual(fieldView(null), { encoding: 'null', size: 0, text: null, hex: '', truncated: false });
});
