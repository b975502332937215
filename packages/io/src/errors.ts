import { KompaktError, type KompaktErrorCode } from '@kompakt/core';

/**
 * Every reader names what it reads (a file path, or a label such as "safetensors buffer") so a
 * message always says which file, which tensor and what is wrong: "model.safetensors: tensor
 * 'w': …".
 */
export function fail(code: KompaktErrorCode, source: string, message: string): never {
  throw new KompaktError(code, `${source}: ${message}`);
}

/** Quote a name from a file for a message, cut short so a hostile 1 MB name cannot flood logs. */
export function q(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

/** Thrown inside parsers that see only a prefix of a file: "give me `end` bytes and try again". */
export class NeedMore {
  constructor(readonly end: number) {}
}
