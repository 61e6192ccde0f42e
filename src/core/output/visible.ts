// Text from a server or a file can hold terminal escape sequences that move the cursor, rewrite
// what is on screen or set the window title. Before such text reaches a terminal every control
// character is shown as an escape (ESC as \x1b), so a person sees what the text holds.

// C0 controls but tab and newline, DEL, and the C1 controls (0x9b acts as ESC [ on some terminals).
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LINE_BREAKING = /[\t\n]/g;

const escape = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** For a table cell: line breaks stay (the table draws them), every other control is shown. */
export function visibleLines(text: string): string {
  return text.replace(CONTROLS, escape);
}

/** For one line (an error, a warning): tabs and line breaks are shown too. */
export function visible(text: string): string {
  return visibleLines(text).replace(LINE_BREAKING, (char) => (char === '\t' ? '\\t' : '\\n'));
}

// As CONTROLS, but a carriage return before a line feed stays: CSV lines end in CRLF.
const MACHINE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

/**
 * For a machine format (JSON, YAML, CSV, TSV, a field): exact bytes in a pipe; on a terminal,
 * every control but tab and line ends shown, as tables show them. JSON escapes C0 controls
 * itself, but not DEL or the C1 controls.
 */
export function forTerminal(out: { isTTY?: boolean | undefined }, text: string): string {
  return out.isTTY === true ? text.replace(MACHINE_CONTROLS, escape) : text;
}
