import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keywordMatcher } from './keywords.ts';
import {
  episodeActive,
  generateMessages,
  MessageGenerator,
  type MessageGeneratorOptions,
} from './message-generator.ts';
import { noiseTemplates, templatesByMood } from './message-templates.ts';
import { scoreText } from './scorer.ts';

const options: MessageGeneratorOptions = {
  seed: 42,
  keywords: ['azure', 'aws', 'google cloud'],
  startMs: 1_000_000,
  intervalMs: 100,
  episodes: [{ keyword: 'azure', mood: 'negative', startOffsetMs: 100_000, durationMs: 50_000 }],
};

test('generateMessages() gives the same messages for the same seed and different ones for another', () => {
  const a = generateMessages(options, 500);
  assert.deepEqual(generateMessages(options, 500), a);
  const b = generateMessages({ ...options, seed: 43 }, 500);
  assert.notDeepEqual(
    b.map((g) => g.message.text),
    a.map((g) => g.message.text),
  );
  assert.equal(new Set(a.map((g) => g.message.id)).size, 500, 'ids are unique');
  assert.deepEqual(
    a.slice(0, 3).map((g) => g.message.timestampMs),
    [1_000_000, 1_000_100, 1_000_200],
  );
});

test('the ground truth names exactly the keywords a message mentions, and noise mentions none', () => {
  const matcher = keywordMatcher(options.keywords);
  const generated = generateMessages(options, 3_000);
  for (const g of generated)
    assert.deepEqual(matcher.matches(g.message.text).sort(), [...g.keywords].sort(), g.message.text);
  const noise = generated.filter((g) => g.mood === 'noise');
  assert.ok(noise.length > 600 && noise.length < 1200, `about 30% noise, got ${noise.length}`);
  assert.ok(
    generated.some((g) => g.keywords.length === 2),
    'some messages compare two products',
  );
  assert.ok(
    generated.some((g) => g.message.text.includes('#')) &&
      generated.some((g) => g.message.text.includes('@')),
  );
});

test('every template scores with the label of its mood, for every product form', () => {
  const generated = generateMessages({ ...options, episodes: [], noiseFraction: 0 }, 4_000);
  for (const g of generated) assert.equal(scoreText(g.message.text).label, g.mood, g.message.text);
  for (const mood of ['positive', 'negative', 'neutral'] as const) {
    assert.ok(generated.filter((g) => g.mood === mood).length > 500, mood);
    assert.ok(templatesByMood[mood].length >= 8, mood);
  }
  assert.ok(noiseTemplates.length >= 8);
});

test('during an episode its keyword is talked about more and mostly in its mood', () => {
  const generated = generateMessages(options, 2_000); // 200 s of event time, episode 100..150 s
  const about = (from: number, to: number) =>
    generated.filter((g) => {
      const offset = g.message.timestampMs - options.startMs;
      return offset >= from && offset < to && g.keywords[0] === 'azure';
    });
  const before = about(0, 50_000);
  const during = about(100_000, 150_000);
  const share = (list: typeof before) => list.filter((g) => g.mood === 'negative').length / list.length;
  assert.ok(during.length > 1.5 * before.length, `${during.length} vs ${before.length}`);
  assert.ok(share(during) > 0.75, `negative share during ${share(during)}`);
  assert.ok(share(before) < 0.35, `negative share before ${share(before)}`);
  assert.ok(during.every((g) => g.episode?.keyword === 'azure'));
});

test('episodeActive() follows the start, the duration and the repetition', () => {
  const once = { keyword: 'azure', mood: 'negative' as const, startOffsetMs: 10, durationMs: 5 };
  assert.deepEqual(
    [9, 10, 14, 15].map((t) => episodeActive(once, t)),
    [false, true, true, false],
  );
  const repeated = { ...once, everyMs: 100 };
  assert.deepEqual(
    [110, 114, 115, 210].map((t) => episodeActive(repeated, t)),
    [true, true, false, true],
  );
});

test('MessageGenerator takes timestamps it is given (real time) and refuses inconsistent options', () => {
  const g = new MessageGenerator(options);
  assert.equal(g.next(5).message.timestampMs, 5);
  assert.equal(g.sequence, 1);
  const plain = { ...options, episodes: [] };
  assert.throws(
    () => new MessageGenerator({ ...plain, keywords: ['coffee'] }),
    /occurs in the generator's own vocabulary/,
  );
  assert.throws(
    () => new MessageGenerator({ ...plain, keywords: ['google', 'google cloud'] }),
    /mentions \[google, google cloud\]/,
  );
  assert.throws(
    () =>
      new MessageGenerator({
        ...options,
        episodes: [{ keyword: 'oracle', mood: 'negative', startOffsetMs: 0, durationMs: 1 }],
      }),
    /Episode keyword 'oracle' is not one of/,
  );
  assert.throws(
    () => new MessageGenerator({ ...options, noiseFraction: 2 }),
    /noiseFraction must be within 0..1, got 2/,
  );
  assert.throws(() => generateMessages(options, -1), /Cannot generate -1 messages/);
});
