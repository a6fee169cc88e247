import { SerialQueue } from './serial-queue';

describe('SerialQueue', () => {
  it('runs tasks one at a time in the order they were pushed', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    let running = 0;
    const task = (name: string, ms: number) => async () => {
      running += 1;
      expect(running).toBe(1);
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([
      queue.push(task('a', 20)),
      queue.push(task('b', 1)),
      queue.push(task('c', 5)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('keeps going after a task fails', async () => {
    const queue = new SerialQueue();
    const failed = queue.push(() => Promise.reject(new Error('nope')));
    const next = queue.push(() => Promise.resolve('still runs'));
    await expect(failed).rejects.toThrow('nope');
    await expect(next).resolves.toBe('still runs');
  });
});
