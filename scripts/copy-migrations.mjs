/**
 * Build step after tsc: copies the migration files, adapters/postgres/migrations/*.sql, to
 * dist/adapters/postgres/migrations/, next to the compiled runner that reads them at run time
 * (tsc emits only JavaScript). The destination is emptied first, so it mirrors the sources.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';

const from = 'adapters/postgres/migrations';
const to = 'dist/adapters/postgres/migrations';
rmSync(to, { recursive: true, force: true });
for (const file of readdirSync(from).filter((f) => f.endsWith('.sql'))) cpSync(`${from}/${file}`, `${to}/${file}`);
