/** EPUB: the chapters in spine order (container.xml -> package document -> XHTML files). */
import { posix } from 'node:path';
import type { TextBuilder } from '../TextBuilder.js';
import { ParseProblemError } from '../types.js';
import { htmlAllContent } from './html.js';
import { parseXml } from './office.js';
import type { CappedZip } from './zip.js';

export async function epub(zip: CappedZip, out: TextBuilder): Promise<void> {
  const container = await zip.text('META-INF/container.xml');
  const opfPath = container ? /full-path="([^"]+)"/.exec(container)?.[1] : undefined;
  const opf = opfPath ? await zip.text(opfPath) : undefined;
  if (!opfPath || opf === undefined) throw new ParseProblemError('failed', 'EPUB without a package document');
  const doc = parseXml(opf);
  const manifest = new Map<string, string>();
  for (const item of Array.from(doc.getElementsByTagName('item'))) {
    manifest.set(item.getAttribute?.('id') ?? '', item.getAttribute?.('href') ?? '');
  }
  const base = posix.dirname(opfPath);
  for (const ref of Array.from(doc.getElementsByTagName('itemref'))) {
    const href = manifest.get(ref.getAttribute?.('idref') ?? '');
    if (!href) continue;
    const chapter = await zip.text(posix.normalize(posix.join(base, decodeURIComponent(href))));
    if (chapter !== undefined) htmlAllContent(chapter, out);
  }
}
