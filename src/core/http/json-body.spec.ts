import { MalformedJson } from '../errors';
import { parseJsonBody } from './json-body';

describe('parseJsonBody', () => {
  it('keeps integers beyond 2^53 as their exact digits', () => {
    expect(
      parseJsonBody('{"log_channel_id": 1424815723476160533, "count": 3, "ratio": 0.5}'),
    ).toEqual({
      log_channel_id: '1424815723476160533',
      count: 3,
      ratio: 0.5,
    });
  });

  it('leaves safe numbers and long digit strings inside strings alone', () => {
    expect(
      parseJsonBody('{"a": 9007199254740991, "b": "12345678901234567890", "c": [-1e3]}'),
    ).toEqual({
      a: 9007199254740991,
      b: '12345678901234567890',
      c: [-1000],
    });
  });

  it('reads an empty body as an empty object', () => {
    expect(parseJsonBody('')).toEqual({});
    expect(parseJsonBody('  \n')).toEqual({});
  });

  it.each(['{bad', '"just a string"', '42', 'null', '{"a": 1234567890123456789'])(
    'rejects %j',
    (text) => {
      expect(() => parseJsonBody(text)).toThrow(MalformedJson);
    },
  );
});
