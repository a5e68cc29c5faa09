/** Office Open XML (DOCX via mammoth, PPTX, XLSX) and OpenDocument text, from inside the zip. */
import { DOMParser } from 'linkedom';
import mammoth from 'mammoth';
import type { TextBuilder } from '../TextBuilder.js';
import { ParseProblemError } from '../types.js';
import { htmlAllContent } from './html.js';
import type { CappedZip } from './zip.js';

interface XmlNode {
  nodeType: number;
  tagName?: string;
  textContent: string | null;
  childNodes: ArrayLike<XmlNode>;
  getAttribute?(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlNode>;
}

export function parseXml(xml: string): XmlNode {
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as XmlNode;
}

function all(node: XmlNode, tag: string): XmlNode[] {
  return Array.from(node.getElementsByTagName(tag));
}

export async function docx(zip: CappedZip, data: Uint8Array, out: TextBuilder): Promise<void> {
  // Inflate the body under the cap first: mammoth would inflate it again without one.
  if ((await zip.bytes('word/document.xml')) === undefined)
    throw new ParseProblemError('failed', 'DOCX without a body');
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(data) });
  htmlAllContent(value, out);
}

export async function pptx(zip: CappedZip, out: TextBuilder): Promise<{ pageCount: number }> {
  const slides = [...zip.entries]
    .map((name) => /^ppt\/slides\/slide(\d+)\.xml$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[0], number: Number(m[1]) }))
    .sort((a, b) => a.number - b.number);
  for (const [index, slide] of slides.entries()) {
    const page = index + 1;
    const doc = parseXml((await zip.text(slide.name)) ?? '');
    for (const shape of all(doc, 'p:sp')) {
      const placeholder = all(shape, 'p:ph')[0]?.getAttribute?.('type') ?? '';
      const isTitle = placeholder === 'title' || placeholder === 'ctrTitle';
      for (const paragraph of all(shape, 'a:p')) {
        const text = all(paragraph, 'a:t')
          .map((t) => t.textContent ?? '')
          .join('');
        if (isTitle) out.add('heading', text, { level: 1, page });
        else out.add(all(paragraph, 'a:buChar').length > 0 ? 'list-item' : 'paragraph', text, { page });
      }
    }
  }
  return { pageCount: slides.length };
}

export async function xlsx(zip: CappedZip, out: TextBuilder): Promise<void> {
  const shared = all(parseXml((await zip.text('xl/sharedStrings.xml')) ?? '<sst/>'), 'si').map((si) =>
    all(si, 't')
      .map((t) => t.textContent ?? '')
      .join(''),
  );
  const rels = new Map<string, string>();
  for (const rel of all(parseXml((await zip.text('xl/_rels/workbook.xml.rels')) ?? '<r/>'), 'Relationship')) {
    const target = rel.getAttribute?.('Target') ?? '';
    rels.set(rel.getAttribute?.('Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets = all(parseXml((await zip.text('xl/workbook.xml')) ?? '<w/>'), 'sheet');
  for (const [index, sheet] of sheets.entries()) {
    const name = sheet.getAttribute?.('name') ?? `Sheet ${index + 1}`;
    const path = rels.get(sheet.getAttribute?.('r:id') ?? '') ?? `xl/worksheets/sheet${index + 1}.xml`;
    const xml = await zip.text(path);
    if (xml === undefined) continue;
    out.add('heading', name, { level: 1 });
    for (const row of all(parseXml(xml), 'row')) {
      const cells = all(row, 'c').map((cell) => {
        const type = cell.getAttribute?.('t');
        if (type === 'inlineStr') return all(cell, 't')[0]?.textContent ?? '';
        const value = all(cell, 'v')[0]?.textContent ?? '';
        return type === 's' ? (shared[Number(value)] ?? '') : value;
      });
      out.add('table-row', cells.filter((c) => c !== '').join(' | '));
    }
  }
}

export async function odt(zip: CappedZip, out: TextBuilder): Promise<void> {
  const xml = await zip.text('content.xml');
  if (xml === undefined) throw new ParseProblemError('failed', 'ODT without content.xml');
  const body = all(parseXml(xml), 'office:text')[0];
  if (body) walkOdt(body, out);
}

function walkOdt(node: XmlNode, out: TextBuilder): void {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType !== 1) continue;
    const tag = child.tagName ?? '';
    if (tag === 'text:h') {
      out.add('heading', child.textContent ?? '', {
        level: Number(child.getAttribute?.('text:outline-level') ?? 1),
      });
    } else if (tag === 'text:p') out.add('paragraph', child.textContent ?? '');
    else if (tag === 'text:list-item') out.add('list-item', child.textContent ?? '');
    else if (tag === 'table:table-row') {
      out.add(
        'table-row',
        all(child, 'table:table-cell')
          .map((cell) => (cell.textContent ?? '').trim())
          .join(' | '),
      );
    } else walkOdt(child, out);
  }
}
