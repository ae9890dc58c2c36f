// Phone numbers inside translated sentences: each run of digits ("114 14", "+46 70 123 45 67", "077-150 50 50") is an
// isolated left-to-right island that does not break across lines, so Arabic text does not reverse its
// groups ("14 114") and no language splits a number. Styles give `.tel` white-space: nowrap.
import type { ComponentChildren } from 'preact';

/** Digits with the spaces and hyphens inside one number ("114 14", "077-150 50 50"). */
const NUMBER = /\+?\d(?:[\d -]*\d)?/g;

/** `text` with every number wrapped in <bdi dir="ltr" class="tel">; the text content stays the same. */
export function LtrNumbers(props: { text: string }): ComponentChildren {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of props.text.matchAll(NUMBER)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(props.text.slice(last, at));
    parts.push(
      <bdi dir="ltr" class="tel" key={at}>
        {match[0]}
      </bdi>,
    );
    last = at + match[0].length;
  }
  if (last < props.text.length) parts.push(props.text.slice(last));
  return parts;
}

/** One phone number on its own (a callback's number): left to right, unbroken. */
export function PhoneNumber(props: { value: string }) {
  return (
    <bdi dir="ltr" class="tel">
      {props.value}
    </bdi>
  );
}
