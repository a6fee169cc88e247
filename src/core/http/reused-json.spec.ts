import { jsonText, servedUnchanged } from './reused-json';

describe('bodies served unchanged', () => {
  it('are frozen to the bottom and serialised once', () => {
    const body = servedUnchanged({ total: 2, daily: [{ day: '2026-12-01', users: 'ä' }] });
    expect(Object.isFrozen(body)).toBe(true);
    expect(Object.isFrozen(body.daily)).toBe(true);
    expect(Object.isFrozen(body.daily[0])).toBe(true);
    expect(() => (body.daily as unknown[]).push({})).toThrow(TypeError);
    const first = jsonText(body);
    expect(first.json).toBe(JSON.stringify(body));
    expect(first.bytes).toBe(Buffer.byteLength(first.json));
    expect(jsonText(body)).toBe(first);
  });

  it('leave every other body serialised as it is at each answer', () => {
    const body: { n: number } = { n: 1 };
    expect(jsonText(body).json).toBe('{"n":1}');
    body.n = 2;
    expect(jsonText(body).json).toBe('{"n":2}');
    expect(Object.isFrozen(body)).toBe(false);
  });
});
