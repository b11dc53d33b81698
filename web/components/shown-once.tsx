import { useState } from 'preact/hooks';
import type { Messages } from '../i18n/messages.js';

/** A secret or key the server shows only once: read-only, selectable, with a copy button; gone when dismissed. */
export function ShownOnce(props: { m: Messages; label: string; value: string; onDone: () => void }) {
  const { m } = props;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the value stays selectable to copy by hand.
      setCopied(false);
    }
  };
  return (
    <div class="shown-once" role="status">
      <p>{props.label}</p>
      <div class="shown-once-value">
        <code dir="ltr" data-secret>
          {props.value}
        </code>
        <button type="button" onClick={copy}>
          {copied ? m.copied : m.copy}
        </button>
        <button type="button" class="link-button" onClick={props.onDone}>
          {m.dismiss}
        </button>
      </div>
    </div>
  );
}
