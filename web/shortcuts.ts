/** What a key press asks of the callback list. */
type Shortcut = 'next' | 'previous' | 'search' | 'open' | 'leave';

/** The physical keys (KeyboardEvent.code), so j, k and / work the same under a Persian layout, where j types "ت". */
const BY_CODE: Record<string, Shortcut> = {
  KeyJ: 'next',
  KeyK: 'previous',
  Slash: 'search',
  Enter: 'open',
  NumpadEnter: 'open',
  Escape: 'leave',
};
/** For events without a code (some on-screen keyboards, synthetic events). */
const BY_KEY: Record<string, Shortcut> = { j: 'next', k: 'previous', '/': 'search', Enter: 'open', Escape: 'leave' };

/** The shortcut of a key press, or null; a press with Ctrl, Alt, Meta or Shift is the browser's or the layout's. */
export function shortcutOf(event: Pick<KeyboardEvent, 'code' | 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): Shortcut | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return null;
  return (event.code ? BY_CODE[event.code] : BY_KEY[event.key]) ?? null;
}
