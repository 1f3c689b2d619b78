/** A sleep that another party can cut short. A wake() during no sleep makes the next sleep return at once. */
export class Waker {
  #resolve: (() => void) | null = null;
  #pending = false;

  wake(): void {
    this.#pending = true;
    this.#resolve?.();
  }

  async sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#resolve = resolve;
      timer = setTimeout(resolve, Math.max(0, ms));
    });
    clearTimeout(timer);
    this.#resolve = null;
    this.#pending = false;
  }
}
