import { writeSync } from 'node:fs';
import SonicBoom from 'sonic-boom';

/** Lines waiting for a failing output are kept up to this size, then dropped (and counted). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface LogSinkState {
  failing: boolean;
  dropped_lines: number;
  last_error?: string;
}

/**
 * Where log lines go by default: a file descriptor (stdout), written asynchronously so that a slow or
 * full disk never holds up a request. pino's own destination rethrows ENOSPC and EIO as an unhandled
 * error (the process dies) and, in sync mode, blocks while the output is stuck. Here a failing output
 * never crashes or blocks: lines wait in a bounded buffer and go out once the output works again;
 * beyond the buffer they are dropped and counted. Each spell of failure writes one warning to stderr.
 */
export class LogSink {
  private readonly stream: SonicBoom;
  private failing = false;
  private dropped = 0;
  private lastError: string | undefined;

  constructor(
    fd = 1,
    private readonly warn: (message: string) => void = warnOnStderr,
  ) {
    this.stream = new SonicBoom({ fd, sync: false, maxLength: MAX_BUFFERED_BYTES });
    this.stream.on('error', (error: NodeJS.ErrnoException) => this.failed(error));
    this.stream.on('drop', (data: string) => {
      this.dropped += countLines(data);
    });
    this.stream.on('write', () => {
      if (!this.failing) return;
      this.failing = false;
      this.warn(`guildhall: log output works again (${this.dropped} lines dropped in all)\n`);
    });
  }

  write(line: string): void {
    this.stream.write(line);
  }

  state(): LogSinkState {
    const state: LogSinkState = { failing: this.failing, dropped_lines: this.dropped };
    if (this.lastError !== undefined) state.last_error = this.lastError;
    return state;
  }

  private failed(error: NodeJS.ErrnoException): void {
    this.lastError = error.code ?? error.message;
    if (this.failing) return;
    this.failing = true;
    this.warn(
      `guildhall: writing log lines failed (${this.lastError}); they are kept up to ` +
        `${MAX_BUFFERED_BYTES / 1024 / 1024} MiB and dropped beyond, and the server goes on\n`,
    );
  }
}

function countLines(data: string): number {
  let lines = 0;
  for (let i = data.indexOf('\n'); i !== -1; i = data.indexOf('\n', i + 1)) lines += 1;
  return Math.max(lines, 1);
}

function warnOnStderr(message: string): void {
  try {
    writeSync(2, message);
  } catch {
    // stderr may be on the same full disk; there is nowhere left to say it.
  }
}
