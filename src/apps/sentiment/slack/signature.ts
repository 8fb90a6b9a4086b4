// Slack's request signing (v0): HMAC-SHA256, keyed by the app's signing secret, over
// `v0:<X-Slack-Request-Timestamp>:<raw body>`, sent hex-encoded as `X-Slack-Signature: v0=<hex>`.
// Requests older than five minutes are refused so a captured request cannot be replayed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { slackLimits } from './limits.ts';

export function signSlackRequest(signingSecret: string, timestampSec: number, body: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestampSec}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignedRequest {
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  body: Buffer;
}

export function verifySlackSignature(
  signingSecret: string,
  request: SignedRequest,
  nowMs: number,
  ageSecMax: number = slackLimits.signatureAgeSecMax,
): SignatureCheck {
  const { timestampHeader, signatureHeader, body } = request;
  if (timestampHeader === undefined) return { ok: false, reason: 'missing X-Slack-Request-Timestamp' };
  if (signatureHeader === undefined) return { ok: false, reason: 'missing X-Slack-Signature' };
  if (!/^\d{1,12}$/.test(timestampHeader))
    return {
      ok: false,
      reason: `X-Slack-Request-Timestamp is not a number of seconds: '${timestampHeader}'`,
    };
  const timestampSec = Number(timestampHeader);
  const ageSec = Math.abs(nowMs / 1000 - timestampSec);
  if (ageSec > ageSecMax)
    return {
      ok: false,
      reason: `request timestamp ${timestampSec} is ${Math.round(ageSec)} s from now (at most ${ageSecMax} s allowed)`,
    };
  const expected = Buffer.from(signSlackRequest(signingSecret, timestampSec, body), 'utf8');
  const given = Buffer.from(signatureHeader, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'X-Slack-Signature does not match the body signed with the signing secret' };
  return { ok: true };
}
