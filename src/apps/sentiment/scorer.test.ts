import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sentimentLimits } from './limits.ts';
import { boundedText, labelOf, scoreText } from './scorer.ts';

const labelled: readonly [string, 'positive' | 'negative' | 'neutral'][] = [
  ['I love Azure, the new portal is great', 'positive'],
  ['Azure support solved our problem in an hour, excellent', 'positive'],
  ['Azure is down again and our deploys are failing', 'negative'],
  ['This outage is terrible, we lost a whole day', 'negative'],
  ['Azure is not good at all', 'negative'],
  ['The portal is not bad', 'positive'],
  ['Deployed the service to Azure at 3pm', 'neutral'],
  ['Which region is the cluster in?', 'neutral'],
  ['Azure today 🎉', 'positive'],
  ['Azure today 😡', 'negative'],
  ['Azure again :(', 'negative'],
  ['#fail on the rollout', 'negative'],
];

test('scoreText() labels sentences as a reader would, with negation and emoji', () => {
  for (const [text, label] of labelled) assert.equal(scoreText(text).label, label, text);
});

test('scoreText() keeps scores within -1..1, more extreme for stronger words', () => {
  const mild = scoreText('the portal is good').score;
  const strong = scoreText('the portal is superb').score;
  assert.ok(strong > mild && mild > 0, `${strong} > ${mild} > 0`);
  const worst = scoreText('fuck fuck fuck 😡😡 terrible awful').score;
  assert.ok(worst >= -1 && worst < -0.5, String(worst));
  assert.equal(scoreText('Azure is great').score, 0.6);
  assert.equal(scoreText('Azure is not great').score, -0.6);
});

test('scoreText() scores empty, blank and sentiment-free text as neutral 0', () => {
  for (const text of ['', '   \n', 'the meeting is at 3'])
    assert.deepEqual(scoreText(text), { score: 0, label: 'neutral' });
});

test('scoreText() reads only the first scoredTextCharsMax characters of a very long text', () => {
  const filler = 'word '.repeat(sentimentLimits.scoredTextCharsMax);
  assert.equal(scoreText(`${filler} terrible awful`).label, 'neutral');
  assert.equal(scoreText(`terrible awful ${filler}`).label, 'negative');
});

test('boundedText() never splits an emoji', () => {
  const text = `${'a'.repeat(9)}😀`;
  assert.equal(boundedText(text, 10), 'a'.repeat(9));
  assert.equal(boundedText(text, 11), text);
  assert.equal(boundedText('short', 10), 'short');
});

test('labelOf() applies the documented thresholds', () => {
  assert.equal(labelOf(0.1), 'positive');
  assert.equal(labelOf(0.0999), 'neutral');
  assert.equal(labelOf(-0.0999), 'neutral');
  assert.equal(labelOf(-0.1), 'negative');
  assert.equal(labelOf(0.3, { positiveMin: 0.5, negativeMax: -0.5 }), 'neutral');
});
