/** What serving writes for monitoring: every (redacted) request and every feedback. */
import type { DataSource } from 'typeorm';
import { stableId } from '../core/ids';
import { type Feedback, FeedbackSchema, type ServingRequest, ServingRequestSchema } from '../entities';

export type StoredRequest = Omit<ServingRequest, 'createdAt' | 'language' | 'task' | 'edits'> & { edits?: ServingRequest['edits'] };

export class ServingStore {
  constructor(private readonly db: DataSource) {}

  async saveRequest(r: StoredRequest): Promise<void> {
    await this.db.getRepository(ServingRequestSchema).insert({ ...r, edits: r.edits ?? [], language: 'en', task: 'gec' });
  }

  /** The stored hash of a request's feedback token: undefined for an unknown request, null for one stored without a token. */
  async feedbackTokenHash(requestId: string): Promise<string | null | undefined> {
    const row = await this.db.getRepository(ServingRequestSchema).findOne({ where: { id: requestId }, select: { id: true, feedbackTokenHash: true } });
    return row ? row.feedbackTokenHash : undefined;
  }

  /**
   * One feedback per request (a unique index guards it): a second one — the user changed their
   * mind — updates the row. `created` tells which happened.
   */
  async saveFeedback(f: Omit<Feedback, 'id' | 'createdAt' | 'updatedAt'>): Promise<{ feedback: Feedback; created: boolean }> {
    const id = stableId('fb', f.requestId);
    const repo = this.db.getRepository(FeedbackSchema);
    const [{ inserted }] = await this.db.query(
      `insert into feedback (id, request_id, rating, better_correction, comment) values ($1, $2, $3, $4, $5)
       on conflict (id) do update set rating = excluded.rating, better_correction = excluded.better_correction, comment = excluded.comment, updated_at = now()
       returning (xmax = 0) as inserted`,
      [id, f.requestId, f.rating, f.betterCorrection, f.comment],
    );
    return { feedback: await repo.findOneByOrFail({ id }), created: Boolean(inserted) };
  }

  async ping(): Promise<void> {
    await this.db.query('select 1');
  }
}
