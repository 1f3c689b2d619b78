import { Center, Image, Loader } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * A QR code drawn in the browser, so the enrolment key never leaves the page for an image service.
 * Margin 2 and medium error correction scan reliably from a laptop screen.
 */
export function QrCode({ value, size = 184, alt, testId }: { value: string; size?: number; alt: string; testId?: string }) {
  const [url, setUrl] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { width: size * 2, margin: 2, errorCorrectionLevel: 'M' })
      .then((data) => {
        if (live) setUrl(data);
      })
      .catch(() => {
        // The text key below the code still works; a failed drawing only hides the picture.
        if (live) setUrl('');
      });
    return () => {
      live = false;
    };
  }, [value, size]);

  if (url === null) {
    return (
      <Center w={size} h={size}>
        <Loader size="sm" />
      </Center>
    );
  }
  if (!url) return null;
  return <Image src={url} w={size} h={size} alt={alt} data-testid={testId} />;
}
