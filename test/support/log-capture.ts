/** A pino destination that keeps every JSON log line in memory for assertions. */
export class LogCapture {
  readonly lines: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim() !== '') this.lines.push(line);
  }

  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Lines about one request, found by its id. */
  forRequest(requestId: string): Record<string, unknown>[] {
    return this.entries().filter((entry) => {
      const req = entry.req as { id?: string } | undefined;
      return req?.id === requestId || entry.reqId === requestId;
    });
  }

  text(): string {
    return this.lines.join('\n');
  }
}
