import { z } from 'zod';
import { AUDIT_MAX_LIMIT } from './audit.service.js';
import { API_KEY_SCOPES } from './api-keys.service.js';
import { passwordProblem } from './password-policy.js';
import { ROLES } from './roles.js';

export const loginSchema = z.object({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});

const password = z.string().max(1024);

export const newUserSchema = z
  .object({
    username: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, ".", "_" and "-"'),
    password,
    role: z.enum(ROLES),
  })
  .superRefine((u, ctx) => {
    const problem = passwordProblem(u.password, u.username);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export const userPatchSchema = z
  .object({ disabled: z.boolean().optional(), role: z.enum(ROLES).optional() })
  .strict()
  .refine((p) => p.disabled !== undefined || p.role !== undefined, { message: 'give disabled or role' });

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: password,
});

export const newApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  scope: z.enum(API_KEY_SCOPES),
});

const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, 'must be an ISO time')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO time')
  .transform((s) => Date.parse(s));

export const auditQuerySchema = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    actor: z.string().min(1).optional(),
    action: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['from'], message: 'must not be after to' });
