/**
 * The shape of a bridge channel, shared by the contract's parts (preload/contract.ts and the
 * feature contracts it composes, such as call/common/call-contract.ts): a request schema, a
 * response schema and the kinds of window that may call it. Schemas and plain types only.
 */
import { z } from 'zod';

/** Which kind of window a call comes from. Main decides which channels each may use. */
export const WindowKind = z.enum(['main', 'call']);
export type WindowKind = z.infer<typeof WindowKind>;

/** A request with no parameters. */
export const Empty = z.object({}).strict();
/** The answer of a channel that only reports it is done. */
export const Ok = z.object({ done: z.literal(true) });

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
  windows: readonly WindowKind[],
) {
  return { request, response, windows };
}

