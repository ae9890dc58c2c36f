// Errors a Store adapter may throw; the app maps them to 503 / 409.

/** The store cannot take the operation now (down, or refusing writes under noeviction). */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A record that must be new already exists. */
export class StoreConflictError extends Error {
  readonly code = 'store_conflict';
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflictError';
  }
}
