/** The README's "Use it in your project" section, as the consumer check runs it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface ReadmeUsage {
  /** Its `npm install …` lines, in order. */
  installLines: string[];
  /** Its JavaScript block: `hello.mjs`. */
  hello: string;
}

export function readmeUsage(root: string): ReadmeUsage {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = /^## Use it in your project\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Use it in your project" section');
  const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1],
    text: m[2] ?? '',
  }));
  const installLines = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.text.split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npm install '));
  const hello = blocks.find((b) => b.lang === 'js')?.text;
  if (installLines.length === 0 || hello === undefined) {
    throw new Error('the "Use it in your project" section needs an `npm install` line and a js block');
  }
  return { installLines, hello };
}
