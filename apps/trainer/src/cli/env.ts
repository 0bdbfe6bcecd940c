// The only place the CLI's data commands read the environment: DATABASE_URL (validated) and COINSPHERE_DEBUG.
// (Kept under cli/ so it sits beside the option it backs; other settings live in the app's own env module.)
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//i, 'DATABASE_URL must be a postgres://user@host:port/database URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

/** The validated CLI environment. Throws with the variable's name when it is malformed. */
export function readCliEnv(env: NodeJS.ProcessEnv = process.env): { databaseUrl: string | undefined } {
  const parsed = schema.safeParse({ DATABASE_URL: env.DATABASE_URL });
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.message ?? 'DATABASE_URL is invalid'} (got "${env.DATABASE_URL}").`);
  return { databaseUrl: parsed.data.DATABASE_URL };
}

/** True when COINSPHERE_DEBUG is set: failures then print their stack after the one-line message. */
export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.COINSPHERE_DEBUG);
}
