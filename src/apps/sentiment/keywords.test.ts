import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keywordMatcher, normalizeKeyword } from './keywords.ts';
import { sentimentLimits } from './limits.ts';

const m = keywordMatcher(['Azure', 'AWS', 'google cloud']);

test('keywordMatcher() matches whole words in any case, as hashtags and as mentions', () => {
  for (const text of [
    'azure is up',
    'AZURE!',
    'I like Azure.',
    'love #Azure',
    'cc @azure',
    '(azure)',
    'azure-cli works',
  ]) {
    assert.deepEqual(m.matches(text), ['azure'], text);
  }
});

test('keywordMatcher() matches simple plurals and possessives', () => {
  for (const text of [
    'Azure’s portal',
    "Azure's portal",
    'two azures',
    "AWS' bill",
    'AWSes everywhere',
    "#Azure's status",
  ]) {
    assert.equal(m.matches(text).length, 1, text);
  }
});

test('keywordMatcher() ignores words that contain a keyword, e-mail domains and longer hashtags', () => {
  for (const text of [
    'azurite crystals',
    'bluazure',
    'mail ops@azure.com',
    '#azuredevops',
    'awsome',
    'laws',
    'azure_sdk',
    '',
  ]) {
    assert.deepEqual(m.matches(text), [], text);
  }
});

test('keywordMatcher() matches a multi-word keyword across whitespace and joined as a hashtag only', () => {
  assert.deepEqual(m.matches('Google   Cloud is fine'), ['google cloud']);
  assert.deepEqual(m.matches('Google\nCloud'), ['google cloud']);
  assert.deepEqual(m.matches('#GoogleCloud rocks'), ['google cloud']);
  assert.deepEqual(m.matches('@googlecloud help'), ['google cloud']);
  assert.deepEqual(m.matches('googlecloud'), []);
  assert.deepEqual(m.matches('google drive'), []);
});

test('keywordMatcher() returns every keyword a message mentions, once each, in keyword order', () => {
  assert.deepEqual(m.matches('moving from #AWS to Azure, then azure again, maybe google cloud'), [
    'azure',
    'aws',
    'google cloud',
  ]);
});

test('keywordMatcher() treats regular-expression characters in keywords literally', () => {
  const special = keywordMatcher(['node.js', 'c++']);
  assert.deepEqual(special.matches('Node.js is fast'), ['node.js']);
  assert.deepEqual(special.matches('nodexjs'), []);
  assert.deepEqual(special.matches('I write c++ daily'), ['c++']);
});

test('keywordMatcher() normalizes and deduplicates keywords, and refuses unusable lists', () => {
  assert.deepEqual(keywordMatcher([' Azure ', 'azure', '#AZURE']).keywords, ['azure']);
  assert.equal(normalizeKeyword('  Google   Cloud '), 'google cloud');
  assert.throws(() => keywordMatcher([]), /list is empty/);
  assert.throws(() => keywordMatcher(['  ']), /Cannot watch keyword ' {2}': it is empty/);
  assert.throws(() => keywordMatcher(['!!']), /no letter or digit/);
  assert.throws(
    () => keywordMatcher(['x'.repeat(sentimentLimits.keywordCharsMax + 1)]),
    /characters, at most/,
  );
  const many = Array.from({ length: sentimentLimits.keywordsMax + 1 }, (_, i) => `k${i}`);
  assert.throws(() => keywordMatcher(many), /Cannot match 33 keywords/);
});
