/**
 * Documents of every supported type, made by the tests themselves (pdf-lib, docx, JSZip), each
 * holding one sentence with a secret word no other file has, plus the bad inputs the issue names.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** The secret word in each generated file, by file name. */
export const SECRET_WORDS: Record<string, string> = {
  'report.pdf': 'aubergine',
  'memo.docx': 'bergamot',
  'slides.pptx': 'cardamom',
  'budget.xlsx': 'dragonfruit',
  'letter.odt': 'elderflower',
  'novel.epub': 'fenugreek',
  'page.html': 'galangal',
  'notes.md': 'hibiscus',
  'plain.txt': 'juniper',
  'table.csv': 'kumquat',
  'data.json': 'lemongrass',
  'tool.py': 'mandarin',
  'latin1.txt': 'nutmeg',
  'utf16.txt': 'oregano',
};

export function sentence(word: string): string {
  return `The secret ingredient of this file is ${word}, stored with care.`;
}

export async function makePdf(pages: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage();
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 50, y: 700 - i * 16, font, size: 12 }));
  }
  return doc.save();
}

/** A PDF with pages but no text layer (what a scanner makes, minus the image). */
export async function makeScannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawRectangle({ x: 40, y: 40, width: 200, height: 100 });
  return doc.save();
}

/** A PDF whose trailer names a Standard security handler: pdf.js asks for a password. */
export function makeEncryptedPdf(): Buffer {
  const hex32 = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj',
    `4 0 obj << /Filter /Standard /V 1 /R 2 /O <${hex32}> /U <${hex32}> /P -44 >> endobj`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += `${object}\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export async function makeDocx(heading: string, paragraph: string, table: string[][] = []): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: heading, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: paragraph }),
          ...(table.length
            ? [
                new Table({
                  rows: table.map(
                    (cells) =>
                      new TableRow({
                        children: cells.map((c) => new TableCell({ children: [new Paragraph(c)] })),
                      }),
                  ),
                }),
              ]
            : []),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

async function zip(
  files: Record<string, string | Uint8Array>,
  options: { storeFirst?: string } = {},
): Promise<Buffer> {
  const archive = new JSZip();
  if (options.storeFirst)
    archive.file(options.storeFirst, files[options.storeFirst]!, { compression: 'STORE' });
  for (const [name, content] of Object.entries(files))
    if (name !== options.storeFirst) archive.file(name, content);
  return archive.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export function makePptx(title: string, body: string): Promise<Buffer> {
  const slide = (t: string, b: string) =>
    `<?xml version="1.0"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>` +
    `<p:sp><p:nvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>${t}</a:t></a:r></a:p></p:txBody></p:sp>` +
    `<p:sp><p:txBody><a:p><a:r><a:t>${b}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
  return zip({
    '[Content_Types].xml': '<Types/>',
    'ppt/presentation.xml': '<p:presentation xmlns:p="p"/>',
    'ppt/slides/slide1.xml': slide('Welcome', 'An opening slide about kitchens.'),
    'ppt/slides/slide2.xml': slide(title, body),
  });
}

export function makeXlsx(rows: string[][]): Promise<Buffer> {
  const shared = rows.flat();
  const sheet = rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row.map((_, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="s"><v>${shared.indexOf(row[c]!)}</v></c>`).join('')}</row>`,
    )
    .join('');
  return zip({
    '[Content_Types].xml': '<Types/>',
    'xl/workbook.xml':
      '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/sharedStrings.xml': `<sst>${shared.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
    'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${sheet}</sheetData></worksheet>`,
  });
}

export function makeOdt(heading: string, paragraph: string): Promise<Buffer> {
  return zip(
    {
      mimetype: 'application/vnd.oasis.opendocument.text',
      'content.xml':
        '<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>' +
        `<text:h text:outline-level="1">${heading}</text:h><text:p>${paragraph}</text:p>` +
        '<text:list><text:list-item><text:p>A listed point.</text:p></text:list-item></text:list></office:text></office:body></office:document-content>',
    },
    { storeFirst: 'mimetype' },
  );
}

export function makeEpub(chapterTitle: string, paragraph: string): Promise<Buffer> {
  return zip(
    {
      mimetype: 'application/epub+zip',
      'META-INF/container.xml':
        '<container><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
      'OEBPS/content.opf':
        '<package><manifest><item id="c1" href="ch1.xhtml"/><item id="c2" href="ch2.xhtml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>',
      'OEBPS/ch1.xhtml': '<html><body><h1>Prologue</h1><p>It was a quiet evening.</p></body></html>',
      'OEBPS/ch2.xhtml': `<html><body><h1>${chapterTitle}</h1><p>${paragraph}</p></body></html>`,
    },
    { storeFirst: 'mimetype' },
  );
}

/** A DOCX-looking zip whose one entry inflates to `bytes` of zeros. */
export function makeZipBomb(bytes: number): Promise<Buffer> {
  return zip({ 'word/document.xml': new Uint8Array(bytes), '[Content_Types].xml': '<Types/>' });
}

/** Writes one file of every supported type into `dir`; returns their paths by name. */
export async function writeEveryType(dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const s = (name: string) => sentence(SECRET_WORDS[name]!);
  const files: Record<string, string | Uint8Array> = {
    'report.pdf': await makePdf(['Quarterly report, page one.\nNothing to see here.', s('report.pdf')]),
    'memo.docx': await makeDocx('Kitchen memo', s('memo.docx'), [
      ['Item', 'Count'],
      ['Spoons', '12'],
    ]),
    'slides.pptx': await makePptx('Spices', s('slides.pptx')),
    'budget.xlsx': await makeXlsx([
      ['Line', 'Note'],
      ['Groceries', s('budget.xlsx')],
    ]),
    'letter.odt': await makeOdt('A letter', s('letter.odt')),
    'novel.epub': await makeEpub('Chapter Two', s('novel.epub')),
    'page.html':
      '<!doctype html><html><head><title>Recipes</title></head><body><nav><a href="/">Home</a> <a href="/about">About us and our navigation links</a></nav>' +
      `<article><h1>Curry</h1><p>${s('page.html')} Curry takes time and patience to cook well at home.</p>` +
      '<p>Serve it with rice, bread, or both, depending on how hungry the table is tonight.</p></article><footer>Copyright footer text</footer></body></html>',
    'notes.md': `# Notes\n\n## Herbs\n\n${s('notes.md')}\n\n- first item\n- second item\n\n\`\`\`js\nconst x = 1;\n\`\`\`\n`,
    'plain.txt': s('plain.txt'),
    'table.csv': `name,remark\nrow1,${s('table.csv').replace(/,/g, '')}\n`,
    'data.json': JSON.stringify({ pantry: { shelf: s('data.json') } }),
    'tool.py': `def cook():\n    """${s('tool.py')}"""\n    return 1\n`,
    'latin1.txt': iconv.encode(`Café crème, déjà vu. ${s('latin1.txt')} Über naïve façade.`, 'latin1'),
    'utf16.txt': iconv.encode(`\ufeff${s('utf16.txt')}`, 'utf16-le'),
  };
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name);
    await writeFile(paths[name], content);
  }
  return paths;
}

export { symlink };
