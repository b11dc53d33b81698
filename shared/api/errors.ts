/** The one error body of the whole API. `field` names the input at fault, as a dotted path. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
