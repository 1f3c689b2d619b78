import { describe, expect, it } from 'vitest';
import { describeBlobTarget, parseBlobUrl } from './blob-url.ts';

describe('parseBlobUrl', () => {
  it('keeps the data dir when unset or "disk"', () => {
    expect(parseBlobUrl(undefined)).toEqual({ kind: 'disk' });
    expect(parseBlobUrl('disk')).toEqual({ kind: 'disk' });
  });

  it('reads bucket, prefix, endpoint, region, path style and credentials', () => {
    const t = parseBlobUrl(
      's3://AK%2F1:se%40cret@tidings-mail/eu/blobs/?endpoint=http://127.0.0.1:9000/&region=eu-west-1&forcePathStyle=true',
    );
    expect(t).toEqual({
      kind: 's3',
      bucket: 'tidings-mail',
      prefix: 'eu/blobs',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AK/1', secretAccessKey: 'se@cret' },
    });
    expect(describeBlobTarget(t)).toBe('s3://tidings-mail/eu/blobs at http://127.0.0.1:9000');
  });

  it('defaults to AWS: no endpoint, us-east-1, virtual-host style, the SDK finding credentials', () => {
    expect(parseBlobUrl('s3://my-bucket')).toMatchObject({
      prefix: '',
      endpoint: null,
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: null,
    });
  });

  it.each([
    ['ftp://bucket', 'scheme'],
    ['s3://ab', 'bucket name'],
    ['s3://Upper-Case', 'bucket name'],
    ['s3://bucket:9000/x', 'port'],
    ['s3://bucket?endpoint=file:///etc', 'endpoint'],
    ['s3://bucket?forcePathStyle=yes', 'forcePathStyle'],
    ['s3://bucket?acl=public', 'unknown parameter'],
    ['not a url', 'neither'],
  ])('refuses %s with blob_url_invalid', (url, words) => {
    expect(() => parseBlobUrl(url)).toThrow(expect.objectContaining({ code: 'blob_url_invalid', message: expect.stringContaining(words) }));
  });

  it('never repeats a secret in its error', () => {
    try {
      parseBlobUrl('s3://KEY:topsecret@b?acl=1');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain('topsecret');
    }
  });
});
