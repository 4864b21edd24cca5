import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { DomainError, notFound } from '../common/domain-error.js';
import { iso } from '../common/time.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { AuditService } from './audit.service.js';
import { UserEntity } from './auth.entities.js';
import { generatePassword, hashPassword } from './password.js';
import type { Role } from './roles.js';
import { SessionsService } from './sessions.service.js';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
}

export interface UserPatch {
  disabled?: boolean;
  role?: Role;
}

export interface UserView {
  username: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

/** Actor name in the audit log for what the service does by itself. */
export const SYSTEM_ACTOR = 'system';

const conflict = (username: string) => new DomainError('CONFLICT', `username: "${username}" already exists`);

const view = (u: UserEntity): UserView => ({ username: u.username, role: u.role, createdAt: iso(u.createdAt) as string, disabled: u.disabled });

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureFirstAdmin();
  }

  /**
   * With no user at all, creates ADMIN_USERNAME. A generated password is printed once, on stdout
   * only (the operator running `npm start` must see it; no log sink ever receives it).
   */
  async ensureFirstAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const given = this.config.ADMIN_PASSWORD;
    const password = given ?? generatePassword();
    try {
      await this.create({ username: this.config.ADMIN_USERNAME, password, role: 'admin' }, SYSTEM_ACTOR);
    } catch (e) {
      // Another instance sharing the database created the first admin at the same moment.
      if (e instanceof DomainError && e.code === 'CONFLICT') return;
      throw e;
    }
    if (given === undefined) console.log(`admin password: ${password}`);
  }

  /** Creates a user (audited as `user.create` by `actor`); CONFLICT when the username is taken. */
  async create(input: NewUser, actor: string): Promise<UserView> {
    // Checked first so that the usual duplicate never reaches the database's error log.
    if (await this.users.existsBy({ username: input.username })) throw conflict(input.username);
    const row: UserEntity = {
      username: input.username,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      createdAt: this.clock.now(),
      disabled: false,
    };
    try {
      await this.users.manager.transaction(async (m) => {
        await m.getRepository(UserEntity).insert(row);
        await this.audit.record(actor, 'user.create', row.username, { role: row.role }, m);
      });
    } catch (e) {
      // Lost a race with a concurrent create of the same name.
      if (await this.users.existsBy({ username: input.username })) throw conflict(input.username);
      throw e;
    }
    return view(row);
  }

  /**
   * Disables or enables a user, or changes the role (audited). Disabling ends all the user's sessions;
   * nobody can disable or demote themselves (the last admin cannot lock everyone out by mistake).
   */
  async update(username: string, patch: UserPatch, actor: string): Promise<UserView> {
    const user = await this.users.findOneBy({ username });
    if (!user) throw notFound(`user ${username}`);
    if (username === actor && (patch.disabled === true || (patch.role !== undefined && patch.role !== user.role))) {
      throw new DomainError('CONFLICT', 'you cannot disable or demote your own account; ask another admin');
    }
    const changes: UserPatch = {};
    if (patch.disabled !== undefined && patch.disabled !== user.disabled) changes.disabled = patch.disabled;
    if (patch.role !== undefined && patch.role !== user.role) changes.role = patch.role;
    if (!Object.keys(changes).length) return view(user);
    await this.users.manager.transaction(async (m) => {
      await m.getRepository(UserEntity).update({ username }, changes);
      await this.audit.record(actor, 'user.update', username, changes, m);
    });
    if (changes.disabled) await this.sessions.revokeAll(username, 'user-disabled');
    else this.sessions.forget(username);
    return view({ ...user, ...changes });
  }

  /** Stores a new password (the caller checked the policy), audited as `user.password.change`. */
  async setPassword(username: string, password: string, actor: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.users.manager.transaction(async (m) => {
      await m.getRepository(UserEntity).update({ username }, { passwordHash });
      await this.audit.record(actor, 'user.password.change', username, { result: 'ok' }, m);
    });
  }

  async list(): Promise<UserView[]> {
    return (await this.users.find({ order: { username: 'ASC' } })).map(view);
  }

  /** The user, or null when unknown. */
  find(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }
}
