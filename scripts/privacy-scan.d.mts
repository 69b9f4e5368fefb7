export function withoutPinLookalikes(text: string): string;
export function pinMatcher(pins: string[]): (text: string) => boolean;
export function findLeaks(bytes: Buffer, texts: string[], hasPin: (text: string) => boolean): string[];
