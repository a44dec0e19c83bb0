/**
 * A dependency file that cannot be read as its format. The message is the parser's reason, so it
 * can go straight into an annotation on that file; `line` (1-based) points at the problem when the
 * parser knows where it is.
 */
export class ManifestParseError extends Error {
  readonly line?: number;

  constructor(message: string, line?: number) {
    super(message);
    this.name = 'ManifestParseError';
    if (line !== undefined) this.line = line;
  }
}
