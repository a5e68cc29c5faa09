/** The CLI's two kinds of failure, which map to its exit codes. */

/** The command line itself is wrong: exit 1, with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something the user can fix went wrong while running: exit 2, with one line on stderr. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export const ExitCode = {
  Ok: 0,
  Usage: 1,
  Runtime: 2,
  /** Stopped by Ctrl-C (128 + SIGINT), the shell convention. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
