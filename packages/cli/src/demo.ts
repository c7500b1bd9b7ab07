/** `interplay demo` — placeholder until the demo lands. */
export async function runDemo(_args: string[]): Promise<number> {
  process.stdout.write('interplay demo: not yet available. Try `pnpm interplay serve` in the meantime.\n');
  return 0;
}
