import { expect } from 'vitest';
import { isKompaktError, type KompaktErrorCode } from '@kompakt/core';

/** Asserts that `fn` throws a KompaktError with `code` (and, when given, a message matching `message`). */
export function expectError(fn: () => unknown, code: KompaktErrorCode, message?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isKompaktError(e, code), String(e)).toBe(true);
    if (message) expect((e as Error).message).toMatch(message);
    return;
  }
  expect.unreachable(`expected a KompaktError ${code}`);
}
