import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal dialog on the browser's own <dialog>: showModal() traps focus, Escape closes it and the page behind is
 * inert, with no script of our own for any of that. Focus goes back where it was when it closes.
 */
export function Modal(props: { labelledBy: string; class?: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={dialog} class={props.class} aria-labelledby={props.labelledBy} onClose={props.onClose}>
      {props.children}
    </dialog>
  );
}
