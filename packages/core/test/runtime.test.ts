import { afterEach, describe, expect, it } from 'vitest';
import {
  KompaktError, availableBackends, backendFor, checkInteger, checkOptions, decodeBase64, getBackend, isKompaktError, setBackend,
} from '@kompakt/core';

afterEach(() => setBackend('auto'));

describe('backends', () => {
  it('lists wasm-scalar always, and resolves auto to the best available', () => {
    const list = availableBackends();
    expect(list.at(-1)).toBe('wasm-scalar');
    expect(getBackend()).toBe(list[0]);
  });

  it('forces a backend and refuses unknown names', () => {
    setBackend('wasm-scalar');
    expect(getBackend()).toBe('wasm-scalar');
    setBackend('wasm');
    expect(getBackend()).toMatch(/^wasm-/);
    expect(() => setBackend('gpu' as never)).toThrow(KompaktError);
  });

  it('fails loudly when native is forced but missing', () => {
    if (availableBackends().includes('native')) return; // covered where the addon is absent (browsers)
    try {
      setBackend('native');
      expect.unreachable();
    } catch (e) {
      expect(isKompaktError(e, 'BACKEND_UNAVAILABLE')).toBe(true);
    }
  });
});

describe('checks', () => {
  it('names the argument at fault', () => {
    expect(() => checkInteger(-1, 'n', 1)).toThrow(/n must be in \[1, /);
    expect(() => checkInteger(2.5, 'n')).toThrow(/n must be an integer, got 2.5/);
    expect(() => checkOptions({ nn: 1 }, 'fwht options', ['n'])).toThrow(/unknown option 'nn'/);
  });
});

describe('base64', () => {
  it('decodes with and without padding', () => {
    expect(Array.from(decodeBase64('AGFzbQ=='))).toEqual([0, 97, 115, 109]);
    expect(Array.from(decodeBase64('AQID'))).toEqual([1, 2, 3]);
    expect(Array.from(decodeBase64('AQ'))).toEqual([1]);
  });
});

describe('backendFor', () => {
  it('passes over an addon that lacks the kernels a package needs, unless native is forced', () => {
    const needs = ['noSuchKernel'];
    expect(availableBackends(needs)).not.toContain('native');
    expect(backendFor(needs)).toMatch(/^wasm-/);
    if (!availableBackends().includes('native')) return; // the forced case needs a loaded addon
    setBackend('native');
    expect(() => backendFor(needs)).toThrow(/no noSuchKernel/);
    expect(backendFor([])).toBe('native');
  });
});
