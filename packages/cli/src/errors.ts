import { isKompaktError } from '@kompakt/core';

/** Exit codes of every command (documented in the README and in `kompakt --help`). */
export const EXIT_OK = 0;
/** Bad input: unreadable, corrupt or unsupported file, failed checksum, refused overwrite, I/O error. */
export const EXIT_INPUT = 1;
/** Usage: unknown command or option, missing or malformed argument. */
export const EXIT_USAGE = 2;

/** Codes the CLI adds to the library's KompaktError codes. */
export type CliErrorCode = 'USAGE' | 'EXISTS' | 'NOT_FOUND' | 'IO' | 'UNSUPPORTED_FORMAT' | 'SAME_FILE' | 'CHECKSUM' | 'CORRUPT' | 'TRUNCATED' | 'INVALID_ARGUMENT' | 'UNSUPPORTED_VERSION';

/** An error the CLI raises itself; `USAGE` exits 2, everything else 1. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}

export function usage(message: string): CliError {
  return new CliError('USAGE', message);
}

/** Code, message and exit status of anything thrown by a command. */
export function classify(e: unknown): { code: string; message: string; exit: number; internal: boolean } {
  if (e instanceof CliError) return { code: e.code, message: e.message, exit: e.code === 'USAGE' ? EXIT_USAGE : EXIT_INPUT, internal: false };
  if (isKompaktError(e)) return { code: e.code, message: e.message, exit: EXIT_INPUT, internal: e.code === 'INTERNAL' };
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && typeof err.code === 'string' && typeof err.syscall === 'string') {
    const path = err.path ? `${err.path}: ` : '';
    const what: Record<string, string> = {
      ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory',
      ENOSPC: 'no space left on device', EEXIST: 'already exists', EROFS: 'read-only file system', EPERM: 'operation not permitted',
    };
    return { code: err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', message: `${path}${what[err.code] ?? err.message} (${err.code})`, exit: EXIT_INPUT, internal: false };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), exit: EXIT_INPUT, internal: true };
}
