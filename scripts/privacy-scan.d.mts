export function withoutPinLookalikes(text: string): string;
/** `forDecoded`: the same test for the PINs long enough to look for in base64-decoded text. */
export function pinMatcher(pins: string[]): ((text: string) => boolean) & { forDecoded?: (text: string) => boolean };
export function findLeaks(bytes: Buffer, texts: string[], hasPin: ((text: string) => boolean) & { forDecoded?: (text: string) => boolean }): string[];
export function views(bytes: Buffer, depth?: number): Generator<{ text: string; decoded: boolean }>;
