/**
 * Copies text and says so for a moment: `copied` is true for 1.5 s after a successful copy (the
 * button shows a check). A refused clipboard leaves it false; the text stays selectable on screen.
 */
export class CopyFeedback {
  copied = $state(false);
  private resetTimer: ReturnType<typeof setTimeout> | undefined;

  async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = true;
      clearTimeout(this.resetTimer);
      this.resetTimer = setTimeout(() => (this.copied = false), 1500);
    } catch {
      // Clipboard access can be refused.
    }
  }
}
