import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A code from a cryptographic source: lower-case letters and digits, like the original's. */
export function randomCode(length: number, prefix = ''): string {
  let code = prefix;
  for (let i = 0; i < length; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export const COHORT_NAME = /^BC[1-9]\d{0,3}$/;

export function cohortName(position: number): string {
  return `BC${position}`;
}

export function cohortPosition(name: string): number {
  return Number(name.slice(2));
}
