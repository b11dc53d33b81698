import { Fragment } from 'preact';

/**
 * A message with code in it: each `{n}` in `text` becomes `codes[n]` as left-to-right code. The dir attribute
 * isolates it, so "Authorization: Bearer <key>" keeps its order inside Persian text instead of being reordered
 * around its spaces and brackets. The codes are the same in every language; only the sentence around them differs.
 */
export function WithCode(props: { text: string; codes: readonly string[] }) {
  const parts = props.text.split(/\{(\d+)\}/);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 0 ? (
          <Fragment key={index}>{part}</Fragment>
        ) : (
          <code key={index} dir="ltr">
            {props.codes[Number(part)] ?? ''}
          </code>
        ),
      )}
    </>
  );
}
