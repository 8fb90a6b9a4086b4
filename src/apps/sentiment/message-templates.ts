// What generated messages say: templates per mood, written the way people post about cloud
// products in Slack and on X, free of sarcasm so that the intended mood is the honest one.
// Placeholders: {p} the product (as a name, hashtag or mention), {p's} its possessive, {q} a
// second product, {feature}, {good}/{bad} an adjective, {e+}/{e-} an emoji, {n} a number.
// Every template is checked by the tests to score with its mood's label.
import type { SentimentLabel } from './records.ts';

export const positiveTemplates: readonly string[] = [
  'Just moved our API to {p} and latency dropped by half, {good} work {e+}',
  '{p} {feature} is {good} today {e+}',
  'Loving the new {feature} in {p}',
  'Shoutout to the {p} support team, they solved our ticket in an hour. {good}!',
  'Deploys on {p} are so smooth now, really happy with it',
  "{p's} {feature} just saved my weekend {e+}",
  'Switched from {q} to {p} and the {feature} is {good}',
  'Impressed by how fast {p} {feature} scaled during the launch {e+}',
  '{p} keeps getting better, the new {feature} is {good} {e+}',
  'Thank you {p}, our students love the {feature}',
  'Our {p} {feature} migration went perfectly, zero downtime {e+}',
];

export const negativeTemplates: readonly string[] = [
  '{p} is down again, our whole pipeline is stuck {e-}',
  '{p} {feature} is {bad} today, every deploy is stuck',
  'Another outage on {p}. Seriously frustrated {e-}',
  "{p's} {feature} keeps failing with timeouts, {bad} experience",
  'Wasted the whole morning fighting {p} {feature} errors {e-}',
  'Our {p} bill doubled and nobody can explain why. Not happy {e-}',
  '{p} support has ignored us for three days, {bad}',
  'Moving off {p} to {q} after this {bad} week',
  'Why is {p} {feature} so slow today? Hate this {e-}',
  '{p} deployments broken again, what a mess {e-}',
  'The {p} {feature} outage cost us a full day, {bad} {e-}',
];

export const neutralTemplates: readonly string[] = [
  'Anyone know how to rotate keys in {p} {feature}?',
  'Reading the {p} docs on {feature} this afternoon',
  'Meeting at 3 to plan the {p} migration',
  'Does {p} {feature} run in the Frankfurt region?',
  '{p} {feature} pricing page updated, link in the thread',
  'Comparing {p} and {q} {feature} for the new project',
  'Who owns the {p} account for the staging environment?',
  'Filed ticket {n} about the {p} {feature} quota',
  'Setting up {p} {feature} for the data team next sprint',
];

/** Messages that mention no product: the chatter a keyword filter must let pass by. */
export const noiseTemplates: readonly string[] = [
  'Lunch at noon, anyone?',
  'Standup moved to 10:30 today',
  'Who has the spare HDMI cable?',
  'Reminder: timesheets are due Friday',
  'New coffee machine on floor 3',
  'PR {n} is ready for review',
  'Out of office tomorrow, back on Monday',
  'The build for branch release-{n} finished',
  'Moving the retro to Thursday',
  'Anyone going to the meetup tonight?',
];

export const templatesByMood: Readonly<Record<SentimentLabel, readonly string[]>> = {
  positive: positiveTemplates,
  negative: negativeTemplates,
  neutral: neutralTemplates,
};

export const features: readonly string[] = [
  'portal',
  'CLI',
  'functions',
  'blob storage',
  'Kubernetes service',
  'monitoring',
  'billing dashboard',
  'DNS',
  'SDK',
  'load balancer',
];

export const goodWords: readonly string[] = [
  'great',
  'awesome',
  'amazing',
  'excellent',
  'fantastic',
  'superb',
];
export const badWords: readonly string[] = [
  'terrible',
  'awful',
  'horrible',
  'useless',
  'disappointing',
  'pathetic',
];
export const positiveEmoji: readonly string[] = ['🎉', '😀', '😍', '👍', '🙌', '😊'];
export const negativeEmoji: readonly string[] = ['😡', '😞', '👎', '😠', '😩', '💩'];

/** Every fixed word the generator may write, so a keyword that collides with one is refused. */
export function generatorVocabulary(): string {
  const placeholder = /\{[^}]*\}/g;
  return [
    ...positiveTemplates,
    ...negativeTemplates,
    ...neutralTemplates,
    ...noiseTemplates,
    ...features,
    ...goodWords,
    ...badWords,
  ]
    .map((t) => t.replace(placeholder, ' '))
    .join('\n');
}
