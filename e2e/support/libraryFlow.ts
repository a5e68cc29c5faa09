/** Library steps shared by the browser specs. */
import { basename } from 'node:path';
import { expect, type Page } from '@playwright/test';

/** Creates a collection in the Library and adds the files to it, waiting until each is indexed. */
export async function addFilesToNewCollection(
  page: Page,
  name: string,
  paths: readonly string[],
): Promise<void> {
  await page.getByTestId('nav-library').click();
  await page.getByRole('button', { name: 'New collection' }).click();
  await page.getByLabel('New collection name').fill(name);
  await page.getByLabel('New collection name').press('Enter');
  // The files go to the current collection: wait until the new one is it.
  await expect(page.getByTestId('collection-item').filter({ hasText: name })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await page.getByTestId('add-files-input').setInputFiles([...paths]);
  for (const path of paths) {
    await expect(page.getByTestId('ingest-item').filter({ hasText: basename(path) })).toHaveAttribute(
      'data-state',
      'ready',
    );
  }
}
