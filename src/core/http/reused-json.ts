/** The JSON text of a body served many times, made at its first answer. */
interface Text {
  json: string;
  bytes: number;
}

const reused = new WeakMap<object, Text | null>();

/**
 * Marks `body` as an answer served to many requests unchanged (a result reused until its data
 * changes): it is frozen, deeply, and the HTTP layer serialises it once instead of once per request.
 * Returns the same object.
 */
export function servedUnchanged<T extends object>(body: T): T {
  reused.set(deepFreeze(body), null);
  return body;
}

/** The JSON text of `body`, kept for one marked by servedUnchanged. */
export function jsonText(body: object): Text {
  const kept = reused.get(body);
  if (kept) return kept;
  const json = JSON.stringify(body);
  const text = { json, bytes: Buffer.byteLength(json) };
  if (kept === null) reused.set(body, text);
  return text;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}
