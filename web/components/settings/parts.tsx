import { ROLES } from '../../../shared/roles.js';
import { label, type Messages } from '../../i18n/messages.js';

/** What a section shows before its data: the error if loading failed, else "Loading…". */
export function NotYet(props: { m: Messages; error: string | null }) {
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : (
    <p class="status-line">{props.m.loading}</p>
  );
}

/** The role choices of a select, in the dashboard's language. */
export function RoleOptions(props: { m: Messages }) {
  return (
    <>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {label(props.m, 'role', role)}
        </option>
      ))}
    </>
  );
}
