import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const specifierPattern = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\bdeclare\s+module\s+)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** Each relative import of a file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(specifierPattern)]
    .map((match) => match[1]!)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.relative(root, path.resolve(root, path.dirname(file), specifier)));
}

function offenders(files: string[], forbidden: (target: string) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${file} → ${target}`),
  );
}

describe('module boundaries', () => {
  const src = sourceFiles('src');

  it('src/kernel imports nothing else of ours', () => {
    const kernel = src.filter((file) => file.startsWith('src/kernel/'));
    expect(kernel.length).toBeGreaterThan(0);
    expect(offenders(kernel, (target) => !target.startsWith('src/kernel/'))).toEqual([]);
  });

  it('only src/api and the composition root (src/app) import src/api', () => {
    const outside = src.filter((file) => !file.startsWith('src/api/') && !file.startsWith('src/app/'));
    expect(offenders(outside, (target) => target.startsWith('src/api/') || target === 'src/api')).toEqual([]);
  });

  it('domain modules do not import the composition root', () => {
    const domain = src.filter((file) => !['src/app/', 'src/cli/', 'src/api/'].some((outer) => file.startsWith(outer)));
    expect(offenders(domain, (target) => target.startsWith('src/app/'))).toEqual([]);
  });

  it('the web app reaches the server only through HTTP (generated types aside)', () => {
    expect(offenders(sourceFiles('web/src'), (target) => target.startsWith('src/'))).toEqual([]);
  });
});
