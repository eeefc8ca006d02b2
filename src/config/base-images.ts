import type { InputReader } from './reader.js';

export type VerifyMode = 'enforce' | 'warn' | 'off';
export type PinningMode = 'off' | 'warn' | 'enforce';

export interface BaseImageInputs {
  verifyBaseImages: VerifyMode;
  trustPolicy?: string;
  pinBaseImages: boolean;
  digestPinning: PinningMode;
}

/** The base-images group: `verify-base-images`, `trust-policy`, `pin-base-images`, `digest-pinning`. */
export function readBaseImageInputs(r: InputReader): BaseImageInputs {
  const trustPolicy = r.existingPath('trust-policy', 'file', r.read('trust-policy'));
  return {
    verifyBaseImages: r.oneOf('verify-base-images', ['enforce', 'warn', 'off'] as const),
    ...(trustPolicy !== undefined ? { trustPolicy } : {}),
    pinBaseImages: r.bool('pin-base-images'),
    digestPinning: r.oneOf('digest-pinning', ['warn', 'off', 'enforce'] as const),
  };
}
