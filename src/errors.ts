/** Errors that carry a code and are meant for the user: the CLI prints the message on one line and exits 1. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'user_error',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A usage error: wrong arguments. The CLI exits 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}
