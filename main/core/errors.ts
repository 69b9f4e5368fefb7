/**
 * An error whose code and message are safe to show the user and to log: they carry no
 * personal data. Anything else that is thrown is reported as a generic failure.
 */
export class UserFacingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserFacingError';
  }
}
