// An API failure with the HTTP status it answers with; the message names what failed and the
// value that made it fail, and is sent to the client as { error }.
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
