// Errors are values until the edge: library code throws a UserError, the CLI prints it as one line.

/** A problem with the user's input or options, printed as `flamescope: <file>: <message>`. */
export class UserError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
