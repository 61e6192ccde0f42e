// What cst prints for SESSION_BODY on a 60-column terminal, without colour: the fields in a
// table, then the token and the auth link each whole on a line of its own. Shared by the
// behaviour test and the pseudo-terminal test, which must agree.
export const SESSION_TABLE_60 = [
  '┌───────────────────┬──────────────────────────┐',
  '│ id                │ 42                       │',
  '│ organization_id   │ 1001                     │',
  '│ project_id        │ proj-1                   │',
  '│ categories        │ hris,ats                 │',
  '│ origin_owner_id   │ cus_1                    │',
  '│ origin_owner_name │ Acme Ltd                 │',
  '│ label             │ Main HR                  │',
  '│ created_at        │ 2026-11-25T10:00:00.000Z │',
  '│ metadata          │ {"plan":"pro"}           │',
  '│ type              │ production               │',
  '│ expires_at        │ 2026-11-25T10:30:00.000Z │',
  '└───────────────────┴──────────────────────────┘',
  'token:',
  'tok_abc123',
  'auth_link_url:',
  'https://app.stackone.com/connect?token=tok_abc123',
];
