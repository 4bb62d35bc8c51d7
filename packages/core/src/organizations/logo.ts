import { DomainError } from '../errors.js';
import { LOGO_MAX_BYTES, type LogoType } from './schema.js';

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return signature.every((b, i) => bytes[offset + i] === b);
}

/**
 * Decides an uploaded logo's type from its bytes, whatever the client claimed: PNG, JPEG and
 * WebP pass; SVG (which can carry script) and everything else are refused.
 */
export function sniffLogo(bytes: Uint8Array): LogoType {
  if (bytes.byteLength === 0) {
    throw new DomainError('invalid_logo', 'The logo is empty. Upload a PNG, JPEG or WebP image.');
  }
  if (bytes.byteLength > LOGO_MAX_BYTES) {
    throw new DomainError(
      'logo_too_large',
      `The logo is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB. Upload a smaller image.`,
      { maxBytes: LOGO_MAX_BYTES },
    );
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<?xml') || head.startsWith('<svg') || head.includes('<svg')) {
    throw new DomainError('invalid_logo', 'SVG logos are not accepted (they can carry scripts). Upload a PNG, JPEG or WebP image.');
  }
  throw new DomainError('invalid_logo', 'The file is not a PNG, JPEG or WebP image. Upload one of those.');
}

export const LOGO_EXTENSIONS: Record<LogoType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};
