/** One input at fault and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error body of the whole API. `field` names the input at fault, as a dotted path; when several inputs
 * are at fault at once (closing a case without its reason and its outcome), `fields` lists each, `field` the first.
 */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; fields?: FieldError[] };
}
