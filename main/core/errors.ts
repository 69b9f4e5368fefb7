/**
 * An error the user is told about: a code from the bridge's list (common/errors.ts) and
 * parameters without personal data. The renderer writes the sentence in the user's
 * language; main only ever logs the code.
 */
import { errorInfo, type ErrorCode, type ErrorInfo, type ErrorParams } from '../../common/errors';

export class UserFacingError extends Error {
  readonly info: ErrorInfo;
  constructor(
    readonly code: ErrorCode,
    params?: ErrorParams,
    options?: { cause?: unknown },
  ) {
    super(code, options);
    this.name = 'UserFacingError';
    this.info = errorInfo(code, params);
  }
}
