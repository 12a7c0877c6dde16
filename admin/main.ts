import { runAdmin } from './run';

const output = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
  errIsTTY: process.stderr.isTTY,
};

runAdmin(process.argv.slice(2), process.env, output).then(
  // Exit explicitly once the answer is written: a connection left half-closed must not keep the CLI alive.
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(
      `admin: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
