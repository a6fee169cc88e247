import { Global, Injectable, Module } from '@nestjs/common';

export interface ErrorReport {
  type: string;
  message: string;
  /** The route template, or `-` outside a request. */
  route: string;
  stack: string | null;
  at: Date;
}

/**
 * Where the exception filter reports server errors (5xx and unexpected exceptions) besides the
 * log: the analytics module attaches its error table here. Reporting never throws.
 */
@Injectable()
export class ErrorReports {
  private readonly sinks = new Set<(report: ErrorReport) => void>();

  attach(sink: (report: ErrorReport) => void): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  report(report: ErrorReport): void {
    for (const sink of this.sinks) {
      try {
        sink(report);
      } catch {
        // A failing sink must not turn an error answer into another error.
      }
    }
  }
}

@Global()
@Module({ providers: [ErrorReports], exports: [ErrorReports] })
export class ErrorReportsModule {}
