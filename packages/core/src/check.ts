import { KompaktError } from './errors.js';

/** Argument checks shared by every package. Each throws a KompaktError naming `name`. */

export function checkInteger(value: unknown, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new KompaktError('INVALID_ARGUMENT', `${name} must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new KompaktError('INVALID_ARGUMENT', `${name} must be in [${min}, ${max}], got ${value}`);
  }
  return value;
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw new KompaktError('INVALID_ARGUMENT', `${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

export function checkOptions<T extends object>(opts: unknown, name: string, allowed: readonly string[]): Partial<T> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new KompaktError('INVALID_ARGUMENT', `${name} must be an options object, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new KompaktError('INVALID_ARGUMENT', `${name}: unknown option '${key}' (allowed: ${allowed.join(', ')})`);
    }
  }
  return opts as Partial<T>;
}

/** A short, safe description of a value for error messages (never prints a whole array). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return String(value);
}
