// Level A: README.md is in a user's order, opens with the two commands CI and a newcomer run, and
// leaves the implementer's material (performance, dependencies, test internals) to
// DEVELOPMENT.md.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const read = (name: string) => readFile(new URL(`../../${name}`, import.meta.url), 'utf8');

describe('README.md', () => {
  it('opens with the two commands, then goes in the order a user needs', async () => {
    const readme = await read('README.md');
    const blocks = [...readme.matchAll(/```sh\n([^`]*)```/g)].map((m) => m[1]!.trim());
    expect(blocks.slice(0, 3)).toEqual([
      'npm ci && ./bin/cst.js create --sandbox --categories hris,ats --owner-id cus_42 --owner-name "Acme Ltd"',
      'npm ci && npm test',
      './bin/cst.js create --sandbox -c hris,ats --owner-id cus_42 --owner-name "Acme Ltd" --wait',
    ]);
    const sections = [...readme.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      'Watch the customer connect',
      'A real API key: `cst config add`',
      'Everyday commands',
      'Output',
      'Exit codes',
      'Bulk provisioning: `cst create --from-file`',
      'The sandbox',
      'Agents: `cst mcp`',
      'Reference',
      'Development',
    ]);
    // Under the test command, one line says what the tests need and who installs it.
    expect(readme).toMatch(
      /The tests also need util-linux `script`, `openssl`, Debian's\n`chromium`, zsh and PostgreSQL's server; `\.ci\/run` installs whichever are missing\./,
    );
  });

  it('keeps performance figures, dependencies and test internals in DEVELOPMENT.md', async () => {
    const [readme, development] = await Promise.all([read('README.md'), read('DEVELOPMENT.md')]);
    for (const heading of ['## Performance', '## Dependencies', '## Tests']) {
      expect(readme).not.toContain(`\n${heading}\n`);
      expect(development).toContain(`\n${heading}\n`);
    }
    expect(readme.split('\n').length).toBeLessThan(650);
  });
});
