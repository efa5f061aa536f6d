// The message of the UserError a call throws (and a failed test when it throws anything else, or nothing).
import { expect } from 'vitest';
import { UserError } from '../../src/errors';

export function userErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('no error');
}
