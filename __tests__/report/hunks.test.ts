import { describe, expect, it } from '@jest/globals';
import { commentableLines } from '../../src/report/hunks.js';

const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);

describe('commentableLines', () => {
  it('is empty without a patch (GitHub omits it for big diffs)', () => {
    expect(sorted(commentableLines(undefined))).toEqual([]);
    expect(sorted(commentableLines(''))).toEqual([]);
  });

  it('counts added and context lines of one hunk, skipping deletions', () => {
    const patch = [
      '@@ -3,4 +3,5 @@ flask==3.0.0',
      ' click==8.1.7',
      '-left-pad==1.0.0',
      '+left-pad==1.1.0',
      '+evil-pkg==1.0.0',
      ' requests==2.32.0',
      ' urllib3==2.2.0',
    ].join('\n');
    expect(sorted(commentableLines(patch))).toEqual([3, 4, 5, 6, 7]);
  });

  it('handles several hunks, each starting at its own right-side line', () => {
    const patch = [
      '@@ -1,2 +1,2 @@',
      '-a==1',
      '+a==2',
      ' b==1',
      '@@ -40,3 +40,4 @@ section',
      ' x==1',
      '+y==1',
      ' z==1',
      '-w==1',
      '+w==2',
    ].join('\n');
    expect(sorted(commentableLines(patch))).toEqual([1, 2, 40, 41, 42, 43]);
  });

  it('ignores "\\ No newline at end of file" markers on either side', () => {
    const patch = [
      '@@ -1,2 +1,3 @@',
      ' a==1',
      '-b==1',
      '\\ No newline at end of file',
      '+b==2',
      '+c==1',
      '\\ No newline at end of file',
    ].join('\n');
    expect(sorted(commentableLines(patch))).toEqual([1, 2, 3]);
  });

  it('handles a new file (-0,0) and headers without counts', () => {
    expect(sorted(commentableLines('@@ -0,0 +1,3 @@\n+a\n+b\n+c'))).toEqual([1, 2, 3]);
    expect(sorted(commentableLines('@@ -5 +5 @@\n-a\n+b'))).toEqual([5]);
  });

  it('treats a pure deletion hunk as commentable nowhere on the right side', () => {
    expect(sorted(commentableLines('@@ -4,2 +3,0 @@\n-a==1\n-b==1'))).toEqual([]);
  });

  it('counts an empty context line whose leading space was stripped, but not a trailing newline', () => {
    const patch = '@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n';
    expect(sorted(commentableLines(patch))).toEqual([1, 2, 3]);
  });

  it('accepts CRLF line endings', () => {
    expect(sorted(commentableLines('@@ -1,1 +1,2 @@\r\n a\r\n+b\r\n'))).toEqual([1, 2]);
  });
});
