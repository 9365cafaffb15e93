/** What serving writes for monitoring: every (redacted) request and every feedback. */
import type { DataSource } from 'typeorm';
import { stableId } from '../core/ids';
import { type Feedback, FeedbackSchema, type ServingRequest, ServingRequestSchema } from '../entities';

export type StoredRequest = Omit<ServingRequest, 'createdAt' | 'language' | 'task'>;

export class ServingStore {
  constructor(private readonly db: DataSource) {}

  async saveRequest(r: StoredRequest): Promise<void> {
    await this.db.getRepository(ServingRequestSchema).insert({ ...r, language: 'en', task: 'gec' });
  }

  async requestExists(id: string): Promise<boolean> {
    return this.db.getRepository(ServingRequestSchema).exists({ where: { id } });
  }

  /** One feedback per request: a second one (the user changed their mind) replaces the first. */
  async saveFeedback(f: Omit<Feedback, 'id' | 'createdAt'>): Promise<Feedback> {
    const id = stableId('fb', f.requestId);
    await this.db.getRepository(FeedbackSchema).upsert({ id, ...f, createdAt: new Date() }, ['id']);
    return (await this.db.getRepository(FeedbackSchema).findOneByOrFail({ id }))!;
  }

  async ping(): Promise<void> {
    await this.db.query('select 1');
  }
}
