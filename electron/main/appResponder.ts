/**
 * Answers `app://` requests from the renderer build folder with web-standard Request/Response, so it
 * holds no Electron import and is tested against real files. protocol.ts registers it with Electron.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isInside, notFound, routeAppRequest, type AppRoute } from './appRoutes.js';

function refusal(route: Extract<AppRoute, { kind: 'refused' }>, method: string): Response {
  return new Response(method === 'HEAD' ? null : route.body, {
    status: route.status,
    headers: route.headers,
  });
}

export function createAppResponder(rendererDir: string): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | undefined;

  return async (request) => {
    const route = routeAppRequest({ url: request.url, method: request.method }, rendererDir);
    if (route.kind === 'refused') return refusal(route, request.method);
    try {
      // A symlink inside the folder must not lead outside it.
      realRoot ??= realpath(rendererDir);
      const root = await realRoot;
      const realFile = await realpath(route.filePath);
      if (!isInside(root, realFile) || !(await stat(realFile)).isFile()) {
        return refusal(notFound(), request.method);
      }
      const body = request.method === 'HEAD' ? null : await readFile(realFile);
      return new Response(body, { status: 200, headers: route.headers });
    } catch {
      // Missing file (or folder): retry the root next time in case it was being rebuilt.
      realRoot = undefined;
      return refusal(notFound(), request.method);
    }
  };
}
