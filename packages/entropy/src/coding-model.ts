import { KompaktError, checkInteger, describe } from '@kompakt/core';
import type { Model } from './model.js';

/**
 * The model interface of the range coder (docs/formats/range-coder.md). A model splits `total`
 * into one integer interval per symbol index: index k owns [start(k), start(k) + frequency(k)).
 * Implement it to code with your own distribution; the built-in {@link AdaptiveModel} implements it,
 * and static {@link Model}s (categorical, gaussian, …) are adapted by {@link toCodingModel}.
 *
 * Encoder and decoder must see the same intervals in the same order: a model may change between
 * symbols (per-symbol parameters, or adaptation through `update`), but only as a function of the
 * symbols coded so far.
 */
export interface CodingModel {
  /** Sum of all frequencies: an integer in [1, 2^24] (2^precision for a fixed-precision model). */
  readonly total: number;
  /** Number of symbol indices, 0 … size − 1. */
  readonly size: number;
  /** The value index 0 stands for: the coders take and return values `offset + index`. Default 0. */
  readonly offset?: number;
  /** Cumulative frequency of the indices below `index`. */
  start(index: number): number;
  /** Frequency of `index`, 0 … total; 0 means the index cannot be coded. */
  frequency(index: number): number;
  /** The index k with start(k) ≤ target < start(k) + frequency(k), for 0 ≤ target < total (decoding). */
  find(target: number): number;
  /** Called by encoder and decoder alike after each symbol coded with this model (adaptive models). */
  update?(index: number): void;
}

/** Largest model total: the coder's 48-bit range keeps ≥ 2^16 after dividing by it. */
export const MAX_TOTAL = 2 ** 24;

/**
 * A static {@link Model} (frequencies summing to 2^precision) as a {@link CodingModel}: a cumulative
 * table for encoding and, built on the first decode, a slot → index table of 2^precision entries.
 */
export class StaticCodingModel implements CodingModel {
  readonly total: number;
  readonly size: number;
  readonly offset: number;
  /** cumulative[k] = Σ_{i<k} f_i; size + 1 entries. */
  readonly cumulative: Uint32Array;
  readonly frequencies: Uint32Array;
  #slots: Uint16Array | null = null;

  constructor(model: Model) {
    this.total = 2 ** model.precision;
    this.size = model.frequencies.length;
    this.offset = model.offset;
    this.frequencies = model.frequencies;
    this.cumulative = new Uint32Array(this.size + 1);
    for (let k = 0; k < this.size; k++) this.cumulative[k + 1] = this.cumulative[k] + this.frequencies[k];
  }

  start(index: number): number {
    return this.cumulative[index];
  }

  frequency(index: number): number {
    return this.frequencies[index];
  }

  /** The index owning each of the 2^precision slots (≤ 128 KiB at precision 16). */
  get slots(): Uint16Array {
    if (!this.#slots) {
      const slots = new Uint16Array(this.total);
      for (let k = 0; k < this.size; k++) slots.fill(k, this.cumulative[k], this.cumulative[k + 1]);
      this.#slots = slots;
    }
    return this.#slots;
  }

  find(target: number): number {
    return this.slots[target];
  }
}

const adapted = new WeakMap<Model, StaticCodingModel>();

function isStaticModel(model: unknown): model is Model {
  return !!model && typeof model === 'object' && (model as Model).frequencies instanceof Uint32Array && typeof (model as Model).precision === 'number';
}

/**
 * The {@link CodingModel} view of a static model (cached per model object, so treat a Model as
 * immutable once it has been used), or the argument itself when it already is one. Checks the shape.
 */
export function toCodingModel(model: Model | CodingModel, fn = 'toCodingModel'): CodingModel {
  if (isStaticModel(model)) {
    let view = adapted.get(model);
    if (!view) {
      checkInteger(model.precision, `${fn}: model.precision`, 1, 16);
      checkInteger(model.offset, `${fn}: model.offset`, -(2 ** 31), 2 ** 31 - 1);
      checkInteger(model.frequencies.length, `${fn}: model size`, 1, 2 ** 16);
      view = new StaticCodingModel(model);
      if (view.cumulative[view.size] !== view.total) {
        throw new KompaktError('INVALID_ARGUMENT', `${fn}: model frequencies sum to ${view.cumulative[view.size]}, not 2^${model.precision}`);
      }
      adapted.set(model, view);
    }
    return view;
  }
  const m = model as CodingModel;
  if (!m || typeof m !== 'object' || typeof m.start !== 'function' || typeof m.frequency !== 'function' || typeof m.find !== 'function') {
    throw new KompaktError('INVALID_TYPE', `${fn}: model must be a Model (categorical(), gaussian(), …) or a CodingModel { total, size, start, frequency, find }, got ${describe(model)}`);
  }
  // Checked on every per-symbol call: build a message only on failure.
  if (!(m.size >= 1 && m.size <= 2 ** 31 - 1 && Number.isInteger(m.size))) checkInteger(m.size, `${fn}: model.size`, 1, 2 ** 31 - 1);
  if (m.offset !== undefined && !Number.isSafeInteger(m.offset)) checkInteger(m.offset, `${fn}: model.offset`, -(2 ** 53), 2 ** 53);
  return m;
}

/** Throws unless the model total is an integer in [1, 2^24]. */
export function checkTotal(total: number, fn: string): void {
  if (!(total >= 1 && total <= MAX_TOTAL && (total | 0) === total)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: model.total must be an integer in [1, 2^24], got ${describe(total)}`);
  }
}

/** Throws unless [start, start + freq) is a nonempty interval inside [0, total] with total ≤ 2^24. */
export function checkInterval(start: number, freq: number, total: number, index: number, fn: string): void {
  checkTotal(total, fn);
  // Written so that NaN and non-integers fail too (every comparison with NaN is false).
  if (!(freq >= 1 && start >= 0 && start + freq <= total && (start | 0) === start && (freq | 0) === freq)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: symbol index ${index} has the interval [${describe(start)}, +${describe(freq)}) in a model of total ${total} (it must be nonempty and inside)`);
  }
}
