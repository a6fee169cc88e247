import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('censors secret query parameters and keeps the rest', () => {
    expect(redactUrl('/list_codes?api_key=abc123&page=2')).toBe(
      '/list_codes?api_key=[redacted]&page=2',
    );
    expect(redactUrl('/x?API_KEY=abc&token=t&Access_Token=a&q=1')).toBe(
      '/x?API_KEY=[redacted]&token=[redacted]&Access_Token=[redacted]&q=1',
    );
    expect(redactUrl('/api/discord/callback?code=c0de&state=s1gned')).toBe(
      '/api/discord/callback?code=[redacted]&state=[redacted]',
    );
  });

  it('censors encoded and value-less forms', () => {
    expect(redactUrl('/x?api%5Fkey=abc')).toBe('/x?api%5Fkey=[redacted]');
    expect(redactUrl('/x?api_key')).toBe('/x?api_key=[redacted]');
  });

  it('returns URLs without a query unchanged', () => {
    expect(redactUrl('/health')).toBe('/health');
  });
});
