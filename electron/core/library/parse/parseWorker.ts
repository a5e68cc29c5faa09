/**
 * Entry of the parse worker thread (built to parseWorker.js next to the app's entry). Parsing
 * PDFs and office files is CPU work; here it never stalls the main process.
 */
import { parentPort } from 'node:worker_threads';
import { parseFile } from './parseFile.js';
import type { ParseRequest, ParseReply } from './ParserPool.js';

parentPort?.on('message', (request: ParseRequest) => {
  void parseFile(request.path, request.name, request.limits).then((result) => {
    const reply: ParseReply = { id: request.id, result };
    parentPort?.postMessage(reply);
  });
});
