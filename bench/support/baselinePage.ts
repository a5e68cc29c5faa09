/**
 * The rendering baseline: the smallest page that shows a streamed answer. It speaks the same wire
 * protocol to the same host and appends each delta to one text node, with no framework and no
 * Markdown. Served by a second host on the same engine (so the token, CSP and socket are real).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Baseline</title><script type="module" src="./assets/app.js"></script>
<style>body{font:15px/1.6 system-ui,sans-serif;margin:0 auto;max-width:760px;padding:24px}
#answer{white-space:pre-wrap;overflow-wrap:anywhere}</style></head>
<body><label for="message">Message</label><textarea id="message"></textarea>
<button id="send" type="button">Send</button><div id="answer"></div></body>
</html>
`;

const SCRIPT = `const socket = new WebSocket('ws://' + location.host + '/api');
const text = document.createTextNode('');
document.getElementById('answer').append(text);
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.type === 'event' && message.event === 'chat.delta') text.appendData(message.payload.text);
  else if (message.type === 'result' || message.type === 'error') document.body.dataset.done = 'true';
};
socket.onopen = () => { document.body.dataset.ready = 'true'; };
document.getElementById('send').onclick = () => {
  const params = { conversationId: 'baseline-' + Date.now(), text: document.getElementById('message').value };
  socket.send(JSON.stringify({ type: 'call', id: '1', method: 'chat.send', params }));
};
`;

export async function writeBaselinePage(dir: string): Promise<string> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), PAGE);
  await writeFile(join(dir, 'assets', 'app.js'), SCRIPT);
  return dir;
}
