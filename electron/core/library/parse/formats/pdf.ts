/** PDF text layer by page (unpdf's bundled pdf.js). Encrypted, corrupt and scanned PDFs get clear outcomes. */
import { getDocumentProxy } from 'unpdf';
import type { TextBuilder } from '../TextBuilder.js';
import { ParseProblemError } from '../types.js';

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

export async function pdf(data: Uint8Array, out: TextBuilder): Promise<{ pageCount: number }> {
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    doc = await getDocumentProxy(data, {
      isEvalSupported: false,
      useSystemFonts: false,
      // Font warnings (standard fonts not bundled) do not matter for text extraction.
      verbosity: 0,
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException')
      throw new ParseProblemError('skipped', 'encrypted PDF (password protected)');
    throw new ParseProblemError('failed', `corrupt PDF: ${(error as Error).message}`);
  }
  try {
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItem[]) {
        text += item.str ?? '';
        if (item.hasEOL) text += '\n';
      }
      for (const paragraph of text.split(/\n\s*\n/)) out.add('paragraph', paragraph, { page: number });
      page.cleanup();
    }
    if (out.size === 0 && doc.numPages > 0) {
      throw new ParseProblemError('skipped', 'scanned PDF: no text layer (OCR is not supported yet)');
    }
    return { pageCount: doc.numPages };
  } finally {
    await doc.destroy();
  }
}
