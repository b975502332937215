import { KompaktError } from '@kompakt/core';

/** Kernel return codes (docs/internals.md, "Entropy"). */
export const ERR_CAPACITY = -1;
export const ERR_SYMBOL = -2;
export const ERR_MODEL = -3;
export const ERR_TRUNCATED = -4;
export const ERR_CORRUPT = -5;

/** Throws the KompaktError for a failed decode; `what` names the stream. */
export function throwDecodeStatus(rc: number, what: string): never {
  if (rc === ERR_TRUNCATED) throw new KompaktError('TRUNCATED', `${what}: the stream ends early`);
  if (rc === ERR_CORRUPT) throw new KompaktError('CORRUPT', `${what}: the stream is corrupt (its final state does not check out)`);
  if (rc === ERR_MODEL) throw new KompaktError('CORRUPT', `${what}: invalid model (frequencies must sum to 2^precision)`);
  throw new KompaktError('INTERNAL', `${what}: unexpected kernel status ${rc}`);
}

/** Throws for an encoder-side status. */
export function throwEncodeStatus(rc: number, what: string): never {
  if (rc === ERR_SYMBOL) throw new KompaktError('INVALID_ARGUMENT', `${what}: a symbol is outside the model or has probability 0`);
  if (rc === ERR_MODEL) throw new KompaktError('INVALID_ARGUMENT', `${what}: invalid model`);
  throw new KompaktError('INTERNAL', `${what}: unexpected kernel status ${rc}`);
}
