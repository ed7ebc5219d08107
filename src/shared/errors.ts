/**
 * Errors cross every boundary (worker, IPC, HTTP, CLI) as data: a stable code,
 * a message that says what is wrong and where, and a hint that says what to do.
 * Tests assert the code, never the wording.
 */
export const ERROR_CODES = [
  // CSV and import
  'CSV_EMPTY',
  'CSV_HEADER_ONLY',
  'CSV_RAGGED_ROW',
  'CSV_UNCLOSED_QUOTE',
  'CSV_RECORD_TOO_LARGE',
  'CSV_ENCODING',
  'CSV_AMBIGUOUS_DELIMITER',
  'CSV_AMBIGUOUS_DECIMAL',
  'CSV_DUPLICATE_HEADER',
  'CSV_BAD_HEADER',
  'CSV_NON_FINITE',
  'CSV_BAD_NUMBER',
  'CSV_NO_TIME_COLUMN',
  'CSV_BAD_TIMESTAMP',
  'CSV_AMBIGUOUS_DATE_ORDER',
  'CSV_AMBIGUOUS_TIME',
  'CSV_NONEXISTENT_TIME',
  'CSV_BAD_TIMEZONE',
  'DUPLICATE_TIMESTAMPS',
  'CSV_BAD_RESHAPE',
  'CSV_NO_NUMERIC_COLUMNS',
  'FILE_NOT_FOUND',
  'FILE_READ',
  'IMPORT_CANCELLED',
  // datasets and windows
  'DATASET_NOT_FOUND',
  'DATASET_TOO_SHORT',
  'UNKNOWN_COLUMN',
  'UNKNOWN_TARGET',
  'BAD_GRID_COLUMNS',
  // runs and training
  'INVALID_CONFIG',
  'RUN_NOT_FOUND',
  'RUN_NOT_RESUMABLE',
  'RUN_ALREADY_ACTIVE',
  'RUN_DIVERGED',
  'RUN_FAILED',
  'RUN_TOO_LARGE',
  'RUN_UNREADABLE',
  'RUN_PROCESS_CRASHED',
  'NON_FINITE_WEIGHTS',
  'BACKEND_UNAVAILABLE',
  'CHECKPOINT_NOT_FOUND',
  'CHECKPOINT_CORRUPT',
  'CHECKPOINT_MISMATCH',
  'BAD_TAG',
  // sweeps
  'SWEEP_BAD_SPEC',
  'SWEEP_NOT_FOUND',
  'SWEEP_ALREADY_ACTIVE',
  // evaluation, forecast, export, compare
  'NOT_EVALUATED',
  'NO_STEP_NORMS',
  'IRREGULAR_FREQUENCY',
  'EXPORT_WRITE',
  'COMPARE_TOO_FEW',
  // workspace
  'WORKSPACE_CORRUPT',
  'WORKSPACE_TOO_NEW',
  'WORKSPACE_READ_ONLY',
  'WORKSPACE_WRITE',
  'WORKSPACE_NO_BACKUP',
  'WORKSPACE_IN_USE',
  'WORKSPACE_BUSY',
  'NATIVE_MODULE_LOAD',
  // hosts
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'PATH_NOT_ALLOWED',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorData {
  code: ErrorCode
  message: string
  hint?: string
  details?: Record<string, unknown>
}

export class ClipcastError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly details?: Record<string, unknown>

  constructor(code: ErrorCode, message: string, options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ClipcastError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
  }

  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message }
    if (this.hint !== undefined) data.hint = this.hint
    if (this.details !== undefined) data.details = this.details
    return data
  }
}

/** Whether a thrown value is a ClipcastError with one of these codes (the way to catch one kind of failure). */
export function hasErrorCode(error: unknown, ...codes: ErrorCode[]): error is ClipcastError {
  return error instanceof ClipcastError && codes.includes(error.code)
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/** Any thrown value as error data; unknown errors become INTERNAL with their message kept. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof ClipcastError) return error.toData()
  if (typeof error === 'object' && error !== null && isErrorCode((error as { code?: unknown }).code)) {
    const e = error as ErrorData
    return { code: e.code, message: String(e.message), ...(e.hint ? { hint: e.hint } : {}), ...(e.details ? { details: e.details } : {}) }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'INTERNAL', message, hint: 'This is a bug in Clipcast; please report it with the steps that led here.' }
}

/** Rebuilds a ClipcastError from data that crossed a boundary (worker message, IPC, HTTP). */
export function fromErrorData(data: ErrorData): ClipcastError {
  return new ClipcastError(data.code, data.message, { hint: data.hint, details: data.details })
}
