export type FetchErrorCode = 'not-found' | 'integrity' | 'too-large' | 'network' | 'bad-response';

/** Why a package could not be fetched; the run reports it as "could not be fetched", never a pass. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url?: string;
  readonly status?: number;

  constructor(
    code: FetchErrorCode,
    message: string,
    details: { url?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'FetchError';
    this.code = code;
    if (details.url !== undefined) this.url = details.url;
    if (details.status !== undefined) this.status = details.status;
  }
}
