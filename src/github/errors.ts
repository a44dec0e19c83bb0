/** The HTTP status of an octokit RequestError (or anything shaped like one), if any. */
export function httpStatus(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'status' in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/**
 * True when GitHub refused a write for lack of permission: the read-only token of a fork PR
 * under `pull_request` gets 403 "Resource not accessible by integration"; a token without
 * `pull-requests: write` gets 403 too, and some endpoints answer 404 to hide what exists.
 * The run then falls back to annotations and the job summary and keeps its exit code.
 */
export function isPermissionError(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 403 || status === 404;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = httpStatus(error);
    return status ? `${error.message} (HTTP ${status})` : error.message;
  }
  return String(error);
}
