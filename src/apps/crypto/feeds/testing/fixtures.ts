// One small response per exchange in its documented format (see each adapter's header for the
// doc): a market list holding the test market, a trades page of two trades, the trades those
// parse to, and the exchange's error envelope.
import type { Trade } from '../../records.ts';

export interface ExchangeFixture {
  readonly exchange: string;
  readonly market: string;
  readonly symbol: string;
  readonly marketsPath: string;
  readonly markets: unknown;
  readonly tradesPath: string;
  readonly trades: unknown;
  /** Sorted oldest first. */
  readonly expected: readonly Omit<Trade, 'exchange' | 'market'>[];
  readonly error: unknown;
}

const t0 = 1_700_000_000_000;

export const fixtures: readonly ExchangeFixture[] = [
  {
    exchange: 'binance',
    market: 'BTC-USDT',
    symbol: 'BTCUSDT',
    marketsPath: '/api/v3/exchangeInfo',
    markets: {
      timezone: 'UTC',
      symbols: [
        { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
        { symbol: 'OLDBTC', status: 'BREAK', baseAsset: 'OLD', quoteAsset: 'BTC' },
      ],
    },
    tradesPath: '/api/v3/trades',
    trades: [
      {
        id: 28457,
        price: '4.00000100',
        qty: '12.00000000',
        quoteQty: '48.000012',
        time: t0,
        isBuyerMaker: true,
        isBestMatch: true,
      },
      {
        id: 28458,
        price: '4.00000200',
        qty: '1.5',
        quoteQty: '6.000003',
        time: t0 + 5,
        isBuyerMaker: false,
        isBestMatch: true,
      },
    ],
    expected: [
      { price: 4.000001, amount: 12, side: 'sell', tradeId: '28457', timestampMs: t0 },
      { price: 4.000002, amount: 1.5, side: 'buy', tradeId: '28458', timestampMs: t0 + 5 },
    ],
    error: { code: -1121, msg: 'Invalid symbol.' },
  },
  {
    exchange: 'coinbase',
    market: 'BTC-USD',
    symbol: 'BTC-USD',
    marketsPath: '/products',
    markets: [
      {
        id: 'BTC-USD',
        base_currency: 'BTC',
        quote_currency: 'USD',
        status: 'online',
        trading_disabled: false,
      },
      {
        id: 'OLD-USD',
        base_currency: 'OLD',
        quote_currency: 'USD',
        status: 'delisted',
        trading_disabled: true,
      },
    ],
    tradesPath: '/products/BTC-USD/trades',
    trades: [
      {
        time: '2023-11-14T22:13:20.010Z',
        trade_id: 74,
        price: '10.00000000',
        size: '0.01000000',
        side: 'sell',
      },
      { time: '2023-11-14T22:13:20.000Z', trade_id: 73, price: '9.50000000', size: '0.5', side: 'buy' },
    ],
    expected: [
      { price: 9.5, amount: 0.5, side: 'sell', tradeId: '73', timestampMs: t0 },
      { price: 10, amount: 0.01, side: 'buy', tradeId: '74', timestampMs: t0 + 10 },
    ],
    error: { message: 'NotFound' },
  },
  {
    exchange: 'kraken',
    market: 'BTC-USD',
    symbol: 'XBTUSD',
    marketsPath: '/0/public/AssetPairs',
    markets: {
      error: [],
      result: {
        XXBTZUSD: { altname: 'XBTUSD', wsname: 'XBT/USD', base: 'XXBT', quote: 'ZUSD', status: 'online' },
        XETHZUSD: { altname: 'ETHUSD', wsname: 'ETH/USD', base: 'XETH', quote: 'ZUSD', status: 'online' },
      },
    },
    tradesPath: '/0/public/Trades',
    trades: {
      error: [],
      result: {
        XXBTZUSD: [
          ['30243.40000', '0.34507674', 1700000000.0, 'b', 'm', '', 61044952],
          ['30243.30000', '0.00376960', 1700000000.25, 's', 'l', '', 61044953],
        ],
        last: '1700000000250000000',
      },
    },
    expected: [
      { price: 30243.4, amount: 0.34507674, side: 'buy', tradeId: '61044952', timestampMs: t0 },
      { price: 30243.3, amount: 0.0037696, side: 'sell', tradeId: '61044953', timestampMs: t0 + 250 },
    ],
    error: { error: ['EQuery:Unknown asset pair'] },
  },
  {
    exchange: 'bitstamp',
    market: 'BTC-USD',
    symbol: 'btcusd',
    marketsPath: '/api/v2/trading-pairs-info/',
    markets: [
      { name: 'BTC/USD', url_symbol: 'btcusd', base_decimals: 8, counter_decimals: 0, trading: 'Enabled' },
      { name: 'XRP/EUR', url_symbol: 'xrpeur', base_decimals: 8, counter_decimals: 5, trading: 'Disabled' },
    ],
    tradesPath: '/api/v2/transactions/btcusd/',
    trades: [
      { date: '1700000001', tid: '300000002', amount: '0.02000000', type: '1', price: '37000' },
      { date: '1700000000', tid: '300000001', amount: '0.01000000', type: '0', price: '36999' },
    ],
    expected: [
      { price: 36999, amount: 0.01, side: 'buy', tradeId: '300000001', timestampMs: t0 },
      { price: 37000, amount: 0.02, side: 'sell', tradeId: '300000002', timestampMs: t0 + 1000 },
    ],
    error: { status: 'error', reason: 'Invalid currency pair' },
  },
  {
    exchange: 'bitfinex',
    market: 'BTC-USD',
    symbol: 'tBTCUSD',
    marketsPath: '/v2/conf/pub:list:pair:exchange',
    markets: [['BTCUSD', 'ETHUSD', 'TESTBTC:TESTUSD']],
    tradesPath: '/v2/trades/tBTCUSD/hist',
    trades: [
      [1500000002, t0 + 2, -0.25, 37001],
      [1500000001, t0, 0.5, 37000],
    ],
    expected: [
      { price: 37000, amount: 0.5, side: 'buy', tradeId: '1500000001', timestampMs: t0 },
      { price: 37001, amount: 0.25, side: 'sell', tradeId: '1500000002', timestampMs: t0 + 2 },
    ],
    error: ['error', 10020, 'limit: invalid'],
  },
  {
    exchange: 'gemini',
    market: 'BTC-USD',
    symbol: 'btcusd',
    marketsPath: '/v1/symbols',
    markets: ['btcusd', 'ethbtc', 'btcgusdperp'],
    tradesPath: '/v1/trades/btcusd',
    trades: [
      {
        timestamp: 1700000001,
        timestampms: t0 + 1000,
        tid: 9002,
        price: '37001.00',
        amount: '0.1',
        exchange: 'gemini',
        type: 'sell',
      },
      {
        timestamp: 1700000001,
        timestampms: t0 + 900,
        tid: 9001,
        price: '37000.50',
        amount: '1',
        exchange: 'gemini',
        type: 'auction',
      },
      {
        timestamp: 1700000000,
        timestampms: t0,
        tid: 9000,
        price: '37000.00',
        amount: '0.2',
        exchange: 'gemini',
        type: 'buy',
      },
    ],
    expected: [
      { price: 37000, amount: 0.2, side: 'buy', tradeId: '9000', timestampMs: t0 },
      { price: 37001, amount: 0.1, side: 'sell', tradeId: '9002', timestampMs: t0 + 1000 },
    ],
    error: { result: 'error', reason: 'InvalidSymbol', message: 'Invalid symbol' },
  },
  {
    exchange: 'okx',
    market: 'BTC-USDT',
    symbol: 'BTC-USDT',
    marketsPath: '/api/v5/public/instruments',
    markets: {
      code: '0',
      msg: '',
      data: [{ instType: 'SPOT', instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', state: 'live' }],
    },
    tradesPath: '/api/v5/market/history-trades',
    trades: {
      code: '0',
      msg: '',
      data: [
        {
          instId: 'BTC-USDT',
          side: 'sell',
          sz: '0.00001',
          px: '29963.2',
          tradeId: '242720721',
          ts: String(t0 + 3),
        },
        { instId: 'BTC-USDT', side: 'buy', sz: '0.1', px: '29963.1', tradeId: '242720720', ts: String(t0) },
      ],
    },
    expected: [
      { price: 29963.1, amount: 0.1, side: 'buy', tradeId: '242720720', timestampMs: t0 },
      { price: 29963.2, amount: 0.00001, side: 'sell', tradeId: '242720721', timestampMs: t0 + 3 },
    ],
    error: { code: '51001', msg: "Instrument ID doesn't exist.", data: [] },
  },
  {
    exchange: 'bybit',
    market: 'BTC-USDT',
    symbol: 'BTCUSDT',
    marketsPath: '/v5/market/instruments-info',
    markets: {
      retCode: 0,
      retMsg: 'OK',
      result: {
        category: 'spot',
        list: [{ symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading' }],
      },
    },
    tradesPath: '/v5/market/recent-trade',
    trades: {
      retCode: 0,
      retMsg: 'OK',
      result: {
        category: 'spot',
        list: [
          {
            execId: '2100000000007764264',
            symbol: 'BTCUSDT',
            price: '16618.50',
            size: '0.5',
            side: 'Sell',
            time: String(t0 + 7),
            isBlockTrade: false,
          },
          {
            execId: '2100000000007764263',
            symbol: 'BTCUSDT',
            price: '16618.49',
            size: '0.00012',
            side: 'Buy',
            time: String(t0),
            isBlockTrade: false,
          },
        ],
      },
      retExtInfo: {},
      time: t0 + 100,
    },
    expected: [
      { price: 16618.49, amount: 0.00012, side: 'buy', tradeId: '2100000000007764263', timestampMs: t0 },
      { price: 16618.5, amount: 0.5, side: 'sell', tradeId: '2100000000007764264', timestampMs: t0 + 7 },
    ],
    error: { retCode: 10001, retMsg: 'Not supported symbols', result: {}, retExtInfo: {}, time: t0 },
  },
  {
    exchange: 'kucoin',
    market: 'BTC-USDT',
    symbol: 'BTC-USDT',
    marketsPath: '/api/v2/symbols',
    markets: {
      code: '200000',
      data: [
        {
          symbol: 'BTC-USDT',
          name: 'BTC-USDT',
          baseCurrency: 'BTC',
          quoteCurrency: 'USDT',
          enableTrading: true,
        },
      ],
    },
    tradesPath: '/api/v1/market/histories',
    trades: {
      code: '200000',
      data: [
        {
          sequence: '10976028003549185',
          price: '37000.1',
          size: '0.001',
          side: 'buy',
          time: 1700000000000000000,
        },
        {
          sequence: '10976028003549186',
          price: '37000.0',
          size: '0.3',
          side: 'sell',
          time: 1700000000004000000,
        },
      ],
    },
    expected: [
      { price: 37000.1, amount: 0.001, side: 'buy', tradeId: '10976028003549185', timestampMs: t0 },
      { price: 37000, amount: 0.3, side: 'sell', tradeId: '10976028003549186', timestampMs: t0 + 4 },
    ],
    error: { code: '400100', msg: 'This pair is not provided at present' },
  },
  {
    exchange: 'htx',
    market: 'BTC-USDT',
    symbol: 'btcusdt',
    marketsPath: '/v1/common/symbols',
    markets: {
      status: 'ok',
      data: [{ 'base-currency': 'btc', 'quote-currency': 'usdt', symbol: 'btcusdt', state: 'online' }],
    },
    tradesPath: '/market/history/trade',
    trades: {
      ch: 'market.btcusdt.trade.detail',
      status: 'ok',
      ts: t0 + 100,
      data: [
        {
          id: 31459998930,
          ts: t0 + 6,
          data: [
            {
              id: 314599989306,
              'trade-id': 102043494568,
              ts: t0 + 6,
              amount: 0.25,
              price: 37000.5,
              direction: 'sell',
            },
          ],
        },
        {
          id: 31459998929,
          ts: t0,
          data: [
            {
              id: 314599989296,
              'trade-id': 102043494567,
              ts: t0,
              amount: 0.001,
              price: 37000.4,
              direction: 'buy',
            },
          ],
        },
      ],
    },
    expected: [
      { price: 37000.4, amount: 0.001, side: 'buy', tradeId: '102043494567', timestampMs: t0 },
      { price: 37000.5, amount: 0.25, side: 'sell', tradeId: '102043494568', timestampMs: t0 + 6 },
    ],
    error: { status: 'error', 'err-code': 'invalid-parameter', 'err-msg': 'invalid symbol', data: null },
  },
  {
    exchange: 'poloniex',
    market: 'BTC-USDT',
    symbol: 'BTC_USDT',
    marketsPath: '/markets',
    markets: [
      {
        symbol: 'BTC_USDT',
        baseCurrencyName: 'BTC',
        quoteCurrencyName: 'USDT',
        displayName: 'BTC/USDT',
        state: 'NORMAL',
      },
      {
        symbol: 'OLD_USDT',
        baseCurrencyName: 'OLD',
        quoteCurrencyName: 'USDT',
        displayName: 'OLD/USDT',
        state: 'OFFLINE',
      },
    ],
    tradesPath: '/markets/BTC_USDT/trades',
    trades: [
      {
        id: '194',
        price: '37000.2',
        quantity: '0.01',
        amount: '370.002',
        takerSide: 'SELL',
        ts: t0 + 20,
        createTime: t0 + 9,
      },
      {
        id: '193',
        price: '37000.1',
        quantity: '0.02',
        amount: '740.002',
        takerSide: 'BUY',
        ts: t0 + 20,
        createTime: t0,
      },
    ],
    expected: [
      { price: 37000.1, amount: 0.02, side: 'buy', tradeId: '193', timestampMs: t0 },
      { price: 37000.2, amount: 0.01, side: 'sell', tradeId: '194', timestampMs: t0 + 9 },
    ],
    error: { code: 21607, message: 'Symbol does not exist' },
  },
];
