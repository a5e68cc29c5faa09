/**
 * A child process for the watched-folder test run as root: the test starts it as `nobody` (root reads
 * every folder), and it prints what folderProblem says about the folder in argv[2], as JSON.
 */
import { folderProblem } from '../../../electron/core/library/WatchStates.js';

process.stdout.write(`${JSON.stringify((await folderProblem(process.argv[2]!)) ?? null)}\n`);
