import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CampaignNameSchema, describeZodError } from '@hyperevolve/contract';

const index = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const CampaignParams = z.object({ name: CampaignNameSchema });
const TrialParams = z.object({ name: CampaignNameSchema, index });
const FromQuery = z.object({ from: index.default(0) });

/** A request that names no valid campaign or trial: answered 400 by the error handler. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`${what}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export const campaignParams = (value: unknown): { name: string } => parse(CampaignParams, value, 'campaign');
export const trialParams = (value: unknown): { name: string; index: number } => parse(TrialParams, value, 'trial');
export const fromQuery = (value: unknown): { from: number } => parse(FromQuery, value, 'query');
/** `?top=N`: how many to show, 1..`max` (default 10). */
export const topQuery = (value: unknown, max: number): { top: number } => parse(z.object({ top: z.coerce.number().int().min(1).max(max).default(10) }), value, 'query');

export function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).send({ error: message });
}
