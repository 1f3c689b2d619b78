import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../app/config.ts';
import { DomainError } from '../kernel/index.ts';
import { CliError } from './cli-error.ts';

const usage = `Usage: tidings <command>

Commands:
  serve [--role web|sync|all]           start Tidings: web (API, web app, event streams), sync (mail sync,
                                        background work, /api/v1/health only) or all (default; TIDINGS_ROLE)
  migrate                               apply database migrations and exit
  admin create --email E --name N       create an admin (password from stdin or a prompt)
  token create --email E --name N       create a personal API token for a user (printed once)
    [--expires-at T]                    it stops working at T (ISO 8601 with offset: 2027-06-30T18:00:00+08:00)
    [--scope read]                      read-only: GET and HEAD only (default: full)
  doctor                                check database, data dir, master key and versions
  keys rotate                           re-encrypt every stored secret under a new master key
  blobs compact                         give back the disk space of deleted mail's blobs now
  db move-to-postgres --to URL          copy the embedded database into an empty PostgreSQL database, verified
    [--with-blobs                       and its mail blobs into a bucket or a new data dir,
     --blob-url <s3-url|dir>]           each verified by SHA-256; resumable
  backup --to FILE                      write the database and the blob store to FILE (never the master key)
  restore --from FILE                   restore a backup into an empty database and data dir, verified
  blobs move --to <blob-url|disk>       move every blob into an S3-compatible bucket or back to the data dir,
    [--from <blob-url>]                 while Tidings runs; resumable, verified by SHA-256 (docs/blob-storage.md)
  help                                  show this text

Settings come from the environment: PORT, HOST, DATABASE_URL, TIDINGS_DATA_DIR, TIDINGS_MASTER_KEY,
TIDINGS_BASE_URL, TIDINGS_BLOB_URL, TIDINGS_ROLE, LOG_LEVEL. See README.md.`;

/** Parses the command line; each command reads the options it takes. */
const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'expires-at': { type: 'string' },
      scope: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      'with-blobs': { type: 'boolean' },
      'blob-url': { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

type Values = ReturnType<typeof parse>['values'];
type Command = (config: Config, values: Values) => Promise<number>;

/** Each command's entry point, loaded on demand: `tidings help` should not pay for the database and mail stack. */
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.ts')).runServe,
  migrate: async () => (await import('./serve.ts')).runMigrate,
  doctor: async () => (await import('./doctor.ts')).runDoctor,
  'admin create': async () => (await import('./accounts.ts')).runAdminCreate,
  'token create': async () => (await import('./accounts.ts')).runTokenCreate,
  'keys rotate': async () => (await import('./keys.ts')).runKeysRotate,
  'blobs compact': async () => (await import('./blobs.ts')).runBlobsCompact,
  'db move-to-postgres': async () => (await import('./db.ts')).runDbMoveToPostgres,
  backup: async () => (await import('./backup.ts')).runBackup,
  restore: async () => (await import('./backup.ts')).runRestore,
  'blobs move': async () => (await import('./blobs.ts')).runBlobsMove,
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv);
  const [command, sub] = positionals;
  if (values.help || !command || command === 'help') {
    console.log(usage);
    return command || values.help ? 0 : 1;
  }
  // --role wins over TIDINGS_ROLE and is checked like it.
  const config = loadConfig(values.role === undefined ? process.env : { ...process.env, TIDINGS_ROLE: values.role });
  const name = `${command}${sub ? ` ${sub}` : ''}`;
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) throw new CliError(`Unknown command "${positionals.join(' ')}". Run "tidings help".`);
  return (await load())(config, values);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (error: unknown) => {
    // One line, no stack: the person at the terminal needs what went wrong and what to do.
    const known = error instanceof DomainError || (error as { code?: string })?.code !== undefined;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`tidings: ${known ? message : `unexpected error: ${message}`}`);
    process.exitCode = 1;
  },
);
