// A seeded generator of Slack/X-style messages about a few products, with the ground truth of
// each message (which keywords it mentions, the mood it was written in). Mood follows a base mix
// except during sentiment episodes: while an outage episode of a keyword runs, most messages
// about it are negative and it is talked about more. The same seed and the same timestamps give
// the same messages, so a test can regenerate what a feed produced.
import { keywordMatcher, normalizeKeyword } from './keywords.ts';
import { sentimentLimits } from './limits.ts';
import {
  badWords,
  features,
  generatorVocabulary,
  goodWords,
  negativeEmoji,
  noiseTemplates,
  positiveEmoji,
  templatesByMood,
} from './message-templates.ts';
import type { MessageSource, SentimentLabel, SocialMessage } from './records.ts';
import { SeededRandom } from './seeded-random.ts';

export interface SentimentEpisode {
  readonly keyword: string;
  readonly mood: 'negative' | 'positive';
  /** When it starts, in ms of event time after the generator's startMs. */
  readonly startOffsetMs: number;
  readonly durationMs: number;
  /** Repeats this often (ms, > durationMs); absent: once. */
  readonly everyMs?: number;
}

export interface MessageGeneratorOptions {
  readonly seed: number;
  /** The products people write about (the keywords a job watches). */
  readonly keywords: readonly string[];
  /** Event time of message 0 and the origin of episode offsets. */
  readonly startMs: number;
  /** Event-time gap between messages when next() is not given a timestamp. Default 100 ms. */
  readonly intervalMs?: number;
  /** Share of messages that mention no product, 0..1. Default 0.3. */
  readonly noiseFraction?: number;
  readonly episodes?: readonly SentimentEpisode[];
  /** Default 'generator'. */
  readonly source?: MessageSource;
}

export type GeneratedMood = SentimentLabel | 'noise';

export interface GeneratedMessage {
  readonly message: SocialMessage;
  /** Ground truth: the normalized keywords the text mentions (none for noise). */
  readonly keywords: readonly string[];
  readonly mood: GeneratedMood;
  /** The episode that set the mood, if one did. */
  readonly episode: SentimentEpisode | null;
}

const baseMood: readonly [SentimentLabel, number][] = [
  ['positive', 0.45],
  ['neutral', 0.35],
  ['negative', 0.2],
];
/** During an episode: its mood this often, else neutral (a few still ask plain questions). */
const episodeMoodShare = 0.85;
/** During an episode its keyword is this many times as likely to be the subject. */
const episodeTopicWeight = 3;
const channels: readonly string[] = ['cloud-feedback', 'dev', 'ops', 'random'];
const users: readonly string[] = ['ana', 'bo', 'chen', 'dana', 'eli', 'fatima', 'gus', 'hiro', 'ines', 'jon'];

function displayName(keyword: string): string {
  // Short names are acronyms (AWS, GCP); longer ones are capitalized per word (Google Cloud).
  if (keyword.length <= 3) return keyword.toUpperCase();
  return keyword.replace(
    /(^|\s)(\p{L})/gu,
    (_m, space: string, letter: string) => space + letter.toUpperCase(),
  );
}

/** The ways a post names a product: plain, lower case, hashtag, mention. */
function productForms(keyword: string): readonly string[] {
  const joined = keyword.replace(/\s+/g, '');
  return [
    displayName(keyword),
    displayName(keyword),
    keyword,
    `#${displayName(keyword).replace(/\s+/g, '')}`,
    `@${joined}`,
  ];
}

export function episodeActive(episode: SentimentEpisode, offsetMs: number): boolean {
  const since = offsetMs - episode.startOffsetMs;
  if (since < 0) return false;
  return (episode.everyMs === undefined ? since : since % episode.everyMs) < episode.durationMs;
}

function checkEpisode(e: SentimentEpisode, keywords: readonly string[]): SentimentEpisode {
  const keyword = normalizeKeyword(e.keyword);
  if (!keywords.includes(keyword))
    throw new RangeError(
      `Episode keyword '${e.keyword}' is not one of the generator's [${keywords.join(', ')}]`,
    );
  if (!(Number.isSafeInteger(e.startOffsetMs) && e.startOffsetMs >= 0))
    throw new RangeError(`Episode startOffsetMs must be an integer >= 0, got ${e.startOffsetMs}`);
  if (!(Number.isSafeInteger(e.durationMs) && e.durationMs > 0))
    throw new RangeError(`Episode durationMs must be a positive integer, got ${e.durationMs}`);
  if (e.everyMs !== undefined && !(Number.isSafeInteger(e.everyMs) && e.everyMs > e.durationMs))
    throw new RangeError(
      `Episode everyMs must be an integer above durationMs ${e.durationMs}, got ${e.everyMs}`,
    );
  return { ...e, keyword };
}

export class MessageGenerator {
  readonly #options: MessageGeneratorOptions;
  readonly #random: SeededRandom;
  readonly #keywords: readonly string[];
  readonly #episodes: readonly SentimentEpisode[];
  readonly #intervalMs: number;
  readonly #noiseFraction: number;
  #sequence = 0;

  constructor(options: MessageGeneratorOptions) {
    this.#options = options;
    this.#random = new SeededRandom(options.seed);
    this.#keywords = keywordMatcher(options.keywords).keywords;
    this.#intervalMs = options.intervalMs ?? 100;
    if (!(Number.isFinite(this.#intervalMs) && this.#intervalMs >= 0))
      throw new RangeError(`Generator intervalMs must be >= 0, got ${this.#intervalMs}`);
    this.#noiseFraction = options.noiseFraction ?? 0.3;
    if (!(this.#noiseFraction >= 0 && this.#noiseFraction <= 1))
      throw new RangeError(`Generator noiseFraction must be within 0..1, got ${this.#noiseFraction}`);
    const episodes = options.episodes ?? [];
    if (episodes.length > sentimentLimits.generatorEpisodesMax)
      throw new RangeError(
        `A generator follows at most ${sentimentLimits.generatorEpisodesMax} episodes, got ${episodes.length}`,
      );
    this.#episodes = episodes.map((e) => checkEpisode(e, this.#keywords));
    this.#checkGroundTruth();
  }

  /** Messages generated so far (the next message's sequence number). */
  get sequence(): number {
    return this.#sequence;
  }

  /** The next message, at `timestampMs` (default: startMs + sequence × intervalMs). */
  next(timestampMs?: number): GeneratedMessage {
    const seq = this.#sequence++;
    const at = timestampMs ?? this.#options.startMs + Math.round(seq * this.#intervalMs);
    const r = this.#random;
    const user = `${r.pick(users)}${r.below(100)}`;
    const channel = r.pick(channels);
    const base = {
      source: this.#options.source ?? ('generator' as const),
      channel,
      user,
      id: `${this.#options.seed}-${seq}`,
      timestampMs: at,
    };
    if (r.next() < this.#noiseFraction) {
      const text = this.#fill(r.pick(noiseTemplates), '', '');
      return { message: { ...base, text }, keywords: [], mood: 'noise', episode: null };
    }
    const active = this.#episodes.filter((e) => episodeActive(e, at - this.#options.startMs));
    const keyword = this.#subject(active);
    const episode = active.find((e) => e.keyword === keyword) ?? null;
    const mood = this.#mood(episode);
    const template = r.pick(templatesByMood[mood]);
    const others = this.#keywords.filter((k) => k !== keyword);
    const second = template.includes('{q}') ? others[r.below(Math.max(1, others.length))] : undefined;
    const text = this.#fill(template, keyword, second ?? keyword);
    const keywords = second === undefined || second === keyword ? [keyword] : [keyword, second];
    return { message: { ...base, text }, keywords, mood, episode };
  }

  #subject(active: readonly SentimentEpisode[]): string {
    const weights = this.#keywords.map((k) => (active.some((e) => e.keyword === k) ? episodeTopicWeight : 1));
    let x = this.#random.next() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return this.#keywords[i] ?? '';
    }
    return this.#keywords[this.#keywords.length - 1] ?? '';
  }

  #mood(episode: SentimentEpisode | null): SentimentLabel {
    const x = this.#random.next();
    if (episode !== null) return x < episodeMoodShare ? episode.mood : 'neutral';
    let acc = 0;
    for (const [mood, share] of baseMood) {
      acc += share;
      if (x < acc) return mood;
    }
    return 'neutral';
  }

  #fill(template: string, keyword: string, second: string): string {
    const r = this.#random;
    return template.replace(/\{([^}]+)\}/g, (_m, slot: string) => {
      switch (slot) {
        case 'p':
          return r.pick(productForms(keyword));
        case "p's":
          return `${displayName(keyword)}'s`;
        case 'q':
          return r.pick(productForms(second));
        case 'feature':
          return r.pick(features);
        case 'good':
          return r.pick(goodWords);
        case 'bad':
          return r.pick(badWords);
        case 'e+':
          return r.pick(positiveEmoji);
        case 'e-':
          return r.pick(negativeEmoji);
        case 'n':
          return `#${1000 + r.below(9000)}`;
        default:
          throw new Error(`Template '${template}' has an unknown placeholder {${slot}}`);
      }
    });
  }

  /**
   * The ground truth is the keywords the generator inserted; refuse keywords that the fixed
   * vocabulary or another product's name would also mention, which would make it wrong.
   */
  #checkGroundTruth(): void {
    const all = keywordMatcher(this.#keywords);
    const inVocabulary = all.matches(generatorVocabulary());
    if (inVocabulary.length > 0)
      throw new RangeError(
        `Keyword '${inVocabulary[0]}' occurs in the generator's own vocabulary; choose another`,
      );
    for (const k of this.#keywords) {
      for (const form of [...productForms(k), `${displayName(k)}'s`]) {
        const found = all.matches(form);
        if (found.length !== 1 || found[0] !== k)
          throw new RangeError(`Product name '${form}' of keyword '${k}' mentions [${found.join(', ')}]`);
      }
    }
  }
}

/** `count` messages (bounded by generatorMessagesMax) at the default event-time spacing. */
export function generateMessages(options: MessageGeneratorOptions, count: number): GeneratedMessage[] {
  if (!(Number.isSafeInteger(count) && count >= 0 && count <= sentimentLimits.generatorMessagesMax))
    throw new RangeError(`Cannot generate ${count} messages: 0..${sentimentLimits.generatorMessagesMax}`);
  const generator = new MessageGenerator(options);
  return Array.from({ length: count }, () => generator.next());
}
