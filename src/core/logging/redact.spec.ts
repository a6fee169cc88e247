import { stdSerializers } from 'pino';
import { censorSecrets, censorError, REDACTED, redactUrl } from './redact';

describe('redactUrl', () => {
  it('censors a parameter sent as an array, repeated, or as a header name', () => {
    expect(redactUrl('/x?api_key[]=a&api_key[0]=b&api_key=c&api_key=d&X-Api-Key=e&q=1')).toBe(
      '/x?api_key[]=[redacted]&api_key[0]=[redacted]&api_key=[redacted]&api_key=[redacted]&X-Api-Key=[redacted]&q=1',
    );
  });

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

describe('censorSecrets', () => {
  it('censors credential keys of any case or separator, a few levels deep', () => {
    const out = censorSecrets({
      API_KEY: 'a',
      'Api-Key': 'b',
      apiKey: 'c',
      nested: { Authorization: 'd', list: [{ refresh_token: 'e' }], fine: 1 },
      msg: 'kept',
    });
    expect(out).toEqual({
      API_KEY: REDACTED,
      'Api-Key': REDACTED,
      apiKey: REDACTED,
      nested: { Authorization: REDACTED, list: [{ refresh_token: REDACTED }], fine: 1 },
      msg: 'kept',
    });
  });

  it('leaves what the request logger serialises, and objects without secrets, as they are', () => {
    const err = new Error('x');
    const input = { req: { headers: { authorization: 'raw' } }, err, ok: { a: 1 } };
    const out = censorSecrets(input);
    expect(out).toBe(input);
    expect(out.err).toBe(err);
  });
});

describe('censorError', () => {
  it('censors the credentials an error carries once pino has serialised it', () => {
    const error = Object.assign(new Error('upstream failed'), {
      code: 'E_UPSTREAM',
      config: { headers: { Authorization: 'Bearer raw' }, params: { api_key: 'raw' } },
      token: 'raw',
    });
    const out = censorError(stdSerializers.err(error)) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: 'Error',
      message: 'upstream failed',
      code: 'E_UPSTREAM',
      token: REDACTED,
      config: { headers: { Authorization: REDACTED }, params: { api_key: REDACTED } },
    });
    expect(out.stack).toContain('upstream failed');
    expect(JSON.stringify(out)).not.toContain('raw');
  });

  it('serialises and censors an Error handed over as it was thrown', () => {
    const error = Object.assign(new TypeError('bad input'), { password: 'raw' });
    expect(censorError(error)).toMatchObject({
      type: 'TypeError',
      message: 'bad input',
      password: REDACTED,
      stack: expect.stringContaining('bad input') as unknown,
    });
  });

  it('passes through what is not an object', () => {
    expect(censorError('text')).toBe('text');
    expect(censorError(undefined)).toBeUndefined();
  });
});
