import type { z } from 'zod';

/** One line per problem: `field.path: what was wrong`, for error messages that name the field. */
export function describeZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
