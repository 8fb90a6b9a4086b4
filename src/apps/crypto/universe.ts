// The simulated market universe: the 11 exchanges of the talk and ~2,400 base-quote markets, each
// with a price level, a volatility and a liquidity weight. Deterministic from a seed, so a
// training run, a test and the live demo agree on what "kraken:ETH-BTC" is. Prices are rough
// late-2020s levels; what matters for detection is their spread over orders of magnitude.
import { cryptoLimits } from './limits.ts';
import { SeededRandom } from './random.ts';

export interface MarketSpec {
  readonly exchange: string;
  /** `BASE-QUOTE`, upper case. */
  readonly market: string;
  readonly base: string;
  readonly quote: string;
  /** Starting price in quote currency. */
  readonly price: number;
  /** Annualized volatility of log returns (0.6 = 60 %). */
  readonly volatility: number;
  /** Share of the universe's trade flow; the weights of a universe sum to 1. */
  readonly liquidity: number;
}

interface ExchangeProfile {
  readonly id: string;
  /** Markets at the default universe size. */
  readonly markets: number;
  /** Quote currencies, the main one first. */
  readonly quotes: readonly string[];
  /** Relative trade flow of the exchange. */
  readonly activity: number;
}

const exchangeProfiles: readonly ExchangeProfile[] = [
  { id: 'binance', markets: 420, quotes: ['USDT', 'BTC', 'FDUSD', 'ETH', 'EUR', 'TRY'], activity: 10 },
  { id: 'coinbase', markets: 230, quotes: ['USD', 'USDC', 'EUR', 'BTC', 'GBP'], activity: 5 },
  { id: 'kraken', markets: 200, quotes: ['USD', 'EUR', 'BTC', 'ETH', 'GBP', 'USDT'], activity: 3 },
  { id: 'bitstamp', markets: 80, quotes: ['USD', 'EUR', 'BTC', 'GBP'], activity: 1 },
  { id: 'bitfinex', markets: 130, quotes: ['USD', 'USDT', 'BTC', 'EUR'], activity: 1.5 },
  { id: 'gemini', markets: 60, quotes: ['USD', 'BTC', 'ETH'], activity: 0.6 },
  { id: 'okx', markets: 330, quotes: ['USDT', 'USDC', 'BTC', 'ETH'], activity: 6 },
  { id: 'bybit', markets: 280, quotes: ['USDT', 'USDC', 'BTC'], activity: 5 },
  { id: 'kucoin', markets: 300, quotes: ['USDT', 'BTC', 'ETH', 'USDC'], activity: 2.5 },
  { id: 'htx', markets: 260, quotes: ['USDT', 'BTC', 'ETH'], activity: 2 },
  { id: 'poloniex', markets: 110, quotes: ['USDT', 'BTC', 'USDC'], activity: 0.5 },
];

export const exchangeIds: readonly string[] = exchangeProfiles.map((e) => e.id);

export const defaultMarketCount = exchangeProfiles.reduce((n, e) => n + e.markets, 0);

/** Quote currencies priced in USD; stablecoins and fiat barely move against each other. */
const quoteUsd: Readonly<Record<string, number>> = {
  USD: 1,
  USDT: 1,
  USDC: 1,
  FDUSD: 1,
  EUR: 1.08,
  GBP: 1.27,
  TRY: 0.03,
  BTC: 65_000,
  ETH: 3_400,
};
/** A quote currency's rough USD value (1 for unknown quotes), to size trades in dollars. */
export function quoteUsdPrice(quote: string): number {
  return quoteUsd[quote] ?? 1;
}

const fiatOrStable = new Set(['USD', 'USDT', 'USDC', 'FDUSD', 'EUR', 'GBP', 'TRY']);

/** Base assets by market-cap rank with a rough USD price. */
const baseAssets =
  'BTC:65000 ETH:3400 SOL:150 BNB:580 XRP:0.55 DOGE:0.14 ADA:0.45 TRX:0.12 AVAX:35 SHIB:0.000022 ' +
  'TON:6.5 DOT:7 LINK:15 BCH:450 LTC:80 NEAR:6 MATIC:0.7 UNI:9 ICP:12 PEPE:0.000011 ' +
  'APT:9 ETC:27 XLM:0.11 FIL:5.5 HBAR:0.09 ATOM:8 ARB:1.1 IMX:2.2 OP:2.5 INJ:25 ' +
  'VET:0.035 MKR:2800 RNDR:9 GRT:0.3 TAO:400 STX:2 FET:2.2 AAVE:95 ALGO:0.18 THETA:2 ' +
  'RUNE:5.5 SUI:1.1 SEI:0.6 FTM:0.7 EGLD:40 FLOW:0.9 SAND:0.45 AXS:7 MANA:0.45 XTZ:0.95 ' +
  'CHZ:0.12 KAVA:0.7 EOS:0.8 NEO:15 GALA:0.04 ZEC:25 DASH:30 XMR:130 CRV:0.5 SNX:3 ' +
  'LDO:2 COMP:55 ENS:15 1INCH:0.45 ZIL:0.025 BAT:0.25 ENJ:0.3 KSM:30 QNT:100 IOTA:0.25 ' +
  'WLD:5 JUP:1 PYTH:0.5 BONK:0.00002 WIF:2.5 FLOKI:0.0002 ORDI:40 STRK:1.2 TIA:10 DYDX:2 ' +
  'GMX:30 BLUR:0.35 CFX:0.2 ROSE:0.1 MINA:0.8 CELO:0.8 ANKR:0.04 ONE:0.02 ICX:0.25 ZRX:0.5 ' +
  'SUSHI:1.1 YFI:7000 BAL:4 UMA:3 BAND:1.5 OCEAN:0.8 AGIX:0.8 API3:2.5 LRC:0.25 STORJ:0.5 ' +
  'SKL:0.08 CELR:0.02 AUDIO:0.2 MASK:3 RSR:0.007 OGN:0.15 NMR:20 REQ:0.12 POLY:0.2 COTI:0.1 ' +
  'HOT:0.002 WAVES:2 QTUM:3.5 ONT:0.3 ZEN:9 SC:0.007 DGB:0.01 RVN:0.025 XEM:0.03 LSK:1.2 ' +
  'GLM:0.4 ANT:7 KNC:0.6 BNT:0.7 CVX:3 FXS:4 SPELL:0.001 PERP:0.9 ALICE:1.2 C98:0.25 ' +
  'SLP:0.004 YGG:0.8 ILV:80 GMT:0.25 APE:1.3 MAGIC:0.7 HOOK:0.8 ID:0.5 RDNT:0.2 PENDLE:5 ' +
  'JTO:3 MEME:0.02 ACE:5 NFP:0.5 AI:1 XAI:0.6 MANTA:2 ALT:0.35 PIXEL:0.4 PORTAL:1.5 ' +
  'AEVO:1.8 ETHFI:4 ENA:0.7 W:0.5 TNSR:1 SAGA:2.5 OMNI:15 REZ:0.1 BB:0.5 NOT:0.015 ' +
  'IO:3 ZK:0.2 LISTA:0.5 ZRO:3.5 BLAST:0.02 DOGS:0.0008 HMSTR:0.004 CATI:0.4 EIGEN:3.5 SCR:0.9 ' +
  'COW:0.6 CETUS:0.25 PNUT:0.6 ACT:0.4 MOVE:0.6 ME:4 PENGU:0.03 USUAL:0.8 VANA:15 BIO:0.6 ' +
  'AIXBT:0.4 VIRTUAL:2 TRUMP:20 KAITO:1.5 LAYER:1.2 S:0.6 BERA:7 IP:5 RED:0.7 GPS:0.05 ' +
  'KMNO:0.08 SHELL:0.3 BMT:0.15 FORM:2 NIL:0.6 PARTI:0.25 MUBARAK:0.1 TUT:0.05 BROCCOLI:0.05 BANANA:40 ' +
  'HIGH:1.5 LQTY:1.2 ARPA:0.05 CTSI:0.15 DENT:0.001 WIN:0.0001 BTT:0.000001 JST:0.03 SUN:0.02 NKN:0.1 ' +
  'STMX:0.006 TRB:90 LINA:0.005 RIF:0.1 ARDR:0.07 STEEM:0.25 HIVE:0.25 XVS:8 ALPHA:0.08 DODO:0.15 ' +
  'FIDA:0.3 RAY:2 SRM:0.05 ORCA:2 MNGO:0.02 STEP:0.03 TLM:0.015 BAKE:0.25 CAKE:2.5 TWT:1';

const defaultSeed = 7;

export interface MarketUniverseOptions {
  /** Exchange ids to include (default all 11), in any order. */
  readonly exchanges?: readonly string[];
  /** Total markets (default ~2,400), split over the exchanges in the default proportions. */
  readonly markets?: number;
  readonly seed?: number;
}

interface PairCandidate {
  readonly base: string;
  readonly baseRank: number;
  readonly quote: string;
  readonly quoteRank: number;
  readonly score: number;
}

/** Pairs an exchange lists: its main quote for most bases, later quotes only for the leaders. */
function listedPairs(
  profile: ExchangeProfile,
  bases: readonly (readonly [string, number])[],
  count: number,
): PairCandidate[] {
  const candidates: PairCandidate[] = [];
  bases.forEach(([base], baseRank) => {
    profile.quotes.forEach((quote, quoteRank) => {
      if (base === quote) return;
      // Rank the quote's importance as a multiplier on the base's rank: a second quote lists a
      // base as if it ranked 2.5x lower, a third 5x, and so on.
      const score = (baseRank + 1) * (1 + 1.5 * quoteRank) ** 1.2;
      candidates.push({ base, baseRank, quote, quoteRank, score });
    });
  });
  candidates.sort(
    (a, b) => a.score - b.score || a.base.localeCompare(b.base) || a.quote.localeCompare(b.quote),
  );
  return candidates.slice(0, count);
}

function parseBases(): [string, number][] {
  return baseAssets.split(' ').map((entry) => {
    const [symbol, price] = entry.split(':');
    if (symbol === undefined || price === undefined) throw new Error(`Malformed base asset entry '${entry}'`);
    return [symbol, Number(price)];
  });
}

/** Annualized volatility of a base against USD: majors calmer, small caps wilder. */
function baseVolatility(symbol: string, rank: number, random: SeededRandom): number {
  if (fiatOrStable.has(symbol)) return 0.02;
  const byRank = 0.45 + 0.9 * Math.min(1, rank / 150);
  return byRank * random.uniform(0.8, 1.25);
}

function pairVolatility(baseVol: number, quote: string): number {
  const quoteVol = quote === 'BTC' ? 0.5 : quote === 'ETH' ? 0.6 : quote === 'TRY' ? 0.25 : 0.05;
  // Crypto assets move together (correlation ~0.6 against BTC/ETH), so a cross pair is calmer
  // than the sum of its legs.
  const rho = quote === 'BTC' || quote === 'ETH' ? 0.6 : 0;
  return Math.sqrt(baseVol * baseVol + quoteVol * quoteVol - 2 * rho * baseVol * quoteVol);
}

function split(total: number, profiles: readonly ExchangeProfile[]): number[] {
  const weight = profiles.reduce((n, e) => n + e.markets, 0);
  const counts = profiles.map((e) => Math.floor((total * e.markets) / weight));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i] = (counts[i] ?? 0) + 1;
  return counts;
}

/** The universe of markets, deterministic from `seed`; liquidity weights sum to 1. */
export function marketUniverse(options: MarketUniverseOptions = {}): MarketSpec[] {
  const wanted = options.exchanges ?? exchangeIds;
  const profiles = wanted.map((id) => {
    const profile = exchangeProfiles.find((e) => e.id === id);
    if (profile === undefined)
      throw new RangeError(`Unknown exchange '${id}'; known: ${exchangeIds.join(', ')}`);
    return profile;
  });
  if (profiles.length === 0) throw new RangeError('A market universe needs at least one exchange');
  const bases = parseBases();
  const capacity = profiles.reduce((n, p) => n + p.quotes.length * bases.length, 0);
  const total = options.markets ?? profiles.reduce((n, p) => n + p.markets, 0);
  if (
    !(
      Number.isSafeInteger(total) &&
      total >= profiles.length &&
      total <= Math.min(capacity, cryptoLimits.marketsMax)
    )
  )
    throw new RangeError(
      `A universe of ${profiles.length} exchanges needs ${profiles.length}..${Math.min(capacity, cryptoLimits.marketsMax)} markets, got ${total}`,
    );
  const random = new SeededRandom(options.seed ?? defaultSeed);
  const baseVols = new Map(bases.map(([symbol], rank) => [symbol, baseVolatility(symbol, rank, random)]));
  const counts = split(total, profiles);
  const markets: { spec: Omit<MarketSpec, 'liquidity'>; weight: number }[] = [];
  profiles.forEach((profile, e) => {
    const count = Math.min(counts[e] ?? 0, profile.quotes.length * bases.length);
    for (const pair of listedPairs(profile, bases, count)) {
      const baseUsd = bases[pair.baseRank]?.[1] ?? 1;
      const quotePrice = quoteUsd[pair.quote] ?? 1;
      // Each venue quotes its own price within a few basis points of the others.
      const price = (baseUsd / quotePrice) * random.uniform(0.998, 1.002);
      const volatility = pairVolatility(baseVols.get(pair.base) ?? 0.8, pair.quote);
      // Zipf-like flow: the top base trades most; secondary quotes carry a fraction of it.
      const weight =
        (profile.activity / (pair.baseRank + 1) ** 1.1) * 0.35 ** pair.quoteRank * random.uniform(0.7, 1.4);
      markets.push({
        spec: {
          exchange: profile.id,
          market: `${pair.base}-${pair.quote}`,
          base: pair.base,
          quote: pair.quote,
          price,
          volatility,
        },
        weight,
      });
    }
  });
  const weightSum = markets.reduce((n, m) => n + m.weight, 0);
  return markets.map((m) => ({ ...m.spec, liquidity: m.weight / weightSum }));
}
