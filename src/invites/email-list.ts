/** One address of a pasted list. */
export interface ListedAddress {
  email: string;
  name: string;
  line: number;
}

export interface ParsedEmailList {
  addresses: ListedAddress[];
  /** Lines that are not one of the accepted forms, by 1-based line number. */
  invalid: { line: number; text: string }[];
  /** Later lines repeating an address already listed (compared case-insensitively). */
  duplicates: { line: number; email: string }[];
}

// Practical address check: one @, no spaces or angle brackets, a dot in the domain, RFC length limits.
const ADDRESS = /^[^\s@<>(),;:"]{1,64}@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/**
 * Reads the Build Crew list formats, one per line: `email`, `Name <email>` or `email,Name`.
 * Blank lines are ignored.
 */
export function parseEmailList(text: string): ParsedEmailList {
  const result: ParsedEmailList = { addresses: [], invalid: [], duplicates: [] };
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const entry = raw.trim();
    if (entry === '') return;
    const parsed = parseEntry(entry);
    if (!parsed || parsed.email.length > 254 || !ADDRESS.test(parsed.email)) {
      result.invalid.push({ line, text: entry.slice(0, 300) });
      return;
    }
    const key = parsed.email.toLowerCase();
    if (seen.has(key)) {
      result.duplicates.push({ line, email: parsed.email });
      return;
    }
    seen.add(key);
    result.addresses.push({ ...parsed, line });
  });
  return result;
}

function parseEntry(entry: string): { email: string; name: string } | undefined {
  const angle = /^(.*?)\s*<([^<>]+)>$/.exec(entry);
  if (angle) return { email: angle[2].trim(), name: angle[1].trim().replace(/^"(.*)"$/, '$1') };
  const comma = entry.indexOf(',');
  if (comma >= 0)
    return { email: entry.slice(0, comma).trim(), name: entry.slice(comma + 1).trim() };
  return { email: entry, name: '' };
}
