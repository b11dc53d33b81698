import { TableScroll } from '../bits.js';
import { label, type Messages } from '../../i18n/messages.js';

/** The admin's commands of `npx hami` (server/cli.ts), as `hami --help` names them. */
const COMMANDS = [
  'user add',
  'user list',
  'user set-role',
  'user disable',
  'user enable',
  'user reset-password',
  'apikey create',
  'apikey list',
  'apikey revoke',
  'customer export',
  'customer erase',
  'import',
  'backup',
] as const;

/** Settings → Command line: every admin command of the CLI and where the dashboard does the same (or why not). */
export function CliCommands(props: { m: Messages }) {
  const { m } = props;
  return (
    <section class="card cli-commands" aria-labelledby="cli-title">
      <h2 id="cli-title">{m.cliTitle}</h2>
      <p class="muted">{m.cliIntro}</p>
      <TableScroll m={m} title={m.cliTitle}>
        <table class="key-table cli-table">
          <thead>
            <tr>
              <th scope="col">{m.cliCommand}</th>
              <th scope="col">{m.cliInDashboard}</th>
            </tr>
          </thead>
          <tbody>
            {COMMANDS.map((command) => (
              <tr key={command} data-command={command}>
                <th scope="row">
                  <code dir="ltr">npx hami {command}</code>
                </th>
                <td>{label(m, 'cli', command)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}
