// What cst shares with the process that loaded it. bin/cst.js keeps a V8 code cache, which V8
// accepts only under the flags it was made with: it asks to hear before cst changes them.
let beforeV8Flags: (() => void) | undefined;

export function onBeforeV8Flags(hook: () => void): void {
  beforeV8Flags = hook;
}

/** Call just before v8.setFlagsFromString. */
export function announceV8Flags(): void {
  const hook = beforeV8Flags;
  beforeV8Flags = undefined;
  hook?.();
}
