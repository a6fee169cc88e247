/**
 * Runs async tasks one after another, in the order they were pushed. A failed task rejects its own
 * promise and does not stop the tasks queued behind it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  push<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
