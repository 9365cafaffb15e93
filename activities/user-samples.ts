/**
 * Stage 1, the learners' part of the data flywheel: samples from serving, beside the teacher's.
 *  - feedback: every better correction a learner gave for a served request is a gold pair
 *    (the request's redacted input → the redacted better correction), source `feedback`;
 *  - traffic: requests served in the last `trafficWindowSeconds`, corrected by the teacher when
 *    the teacher is an LLM, source `traffic`. The offline teacher only writes errors into clean
 *    sentences and the model never labels its own traffic, so offline there are none (said so).
 * The samples are stored pending, like the teacher's, and validated like every sample. Ids are
 * (pipeline, source, request), so a retry adds nothing twice.
 */
import { Context } from '@temporalio/activity';
import { stableId } from '../core/ids';
import { classifyEdit } from '../core/engines/classify';
import { diffTokens } from '../core/engines/rules';
import { createLlmCorrector } from '../adapters/providers/index';
import type { TeacherBackendName } from '../adapters/teachers';
import { tokenize } from '../core/text/tokenize';
import { redactSample, samplePiiTypes } from '../core/validation/pii';
import { ERROR_TYPES, type ErrorType } from '../core/validation/types';
import { type GeneratedSample, GeneratedSampleSchema } from '../entities';
import type { ActivityDeps } from './deps';

export interface UserSamplesInput {
  pipelineId: string;
  teacher: TeacherBackendName;
  reasonLanguage: 'ko' | 'en';
  /** Served traffic of this recent past is relabelled by an LLM teacher (0: none). */
  trafficWindowSeconds: number;
  /** At most this many traffic requests are sent to the teacher. */
  maxTraffic: number;
}

export interface UserSamplesOutput {
  feedback: number;
  traffic: number;
  /** Why no traffic was used, when none was. */
  trafficSkipped: string | null;
}

/** Our error types of the changes between two sentences (for the sample's errorTypes). */
function errorTypesOf(source: string, target: string): ErrorType[] {
  const s = tokenize(source).split(' ');
  const t = tokenize(target).split(' ');
  const types = diffTokens(s, t).map((e) => {
    const type = classifyEdit(s.slice(e.i1, e.i2).join(' '), t.slice(e.j1, e.j2).join(' '), 'other');
    return (ERROR_TYPES as readonly string[]).includes(type) ? (type as ErrorType) : type === 'verb_form' ? 'tense' : 'other';
  });
  return [...new Set(types.length ? types : (['other'] as ErrorType[]))];
}

const FEEDBACK_REASON = { ko: '학습자가 제안한 더 나은 교정입니다.', en: "A learner's better correction of a served answer." };

export function userSampleActivities(deps: ActivityDeps) {
  return {
    async collectUserSamples(input: UserSamplesInput): Promise<UserSamplesOutput> {
      const db = await deps.db();
      const samples = db.getRepository(GeneratedSampleSchema);
      const base = { pipelineId: input.pipelineId, batch: -1, language: 'en', task: 'gec', sourceTextId: null, exampleId: null, templateId: null, reasonLanguage: input.reasonLanguage, status: 'pending' as const, rejectionReasons: [], split: null, tokens: null };

      // Feedback: the learner's better correction is the target (both texts were redacted when stored).
      const gold: { request_id: string; input: string; better: string }[] = await db.query(
        `select r.id as request_id, r.input_redacted as input, trim(f.better_correction) as better
           from feedback f join serving_request r on r.id = f.request_id
          where coalesce(trim(f.better_correction), '') <> '' and trim(f.better_correction) <> trim(r.input_redacted)
          order by r.id`,
      );
      const rows: Partial<GeneratedSample>[] = gold.map((g) => ({
        ...base,
        id: stableId('smp', input.pipelineId, 'feedback', g.request_id),
        teacher: 'feedback',
        source: 'feedback',
        sourceRequestId: g.request_id,
        awkward: g.input,
        corrected: g.better,
        reason: FEEDBACK_REASON[input.reasonLanguage],
        errorTypes: errorTypesOf(g.input, g.better),
        redactions: [],
      }));

      // Traffic: only an LLM teacher may label it.
      let traffic = 0;
      let trafficSkipped: string | null = null;
      if (input.teacher === 'noise') trafficSkipped = 'the offline teacher cannot correct free text, and the model never labels its own traffic';
      else if (input.trafficWindowSeconds <= 0 || input.maxTraffic <= 0) trafficSkipped = 'no traffic window configured';
      else {
        const requests: { id: string; input: string }[] = await db.query(
          `select id, input_redacted as input from serving_request
            where created_at >= now() - ($1 || ' seconds')::interval and fallback = false and engine <> 'unavailable'
            order by created_at desc, id limit $2`,
          [String(input.trafficWindowSeconds), input.maxTraffic],
        );
        const corrector = createLlmCorrector(input.teacher, deps.config, { purpose: 'traffic relabelling' });
        const ctx = Context.current();
        for (const [i, r] of requests.entries()) {
          ctx.heartbeat({ traffic: i, of: requests.length });
          const c = await corrector.correct(r.input, { reasonLanguage: input.reasonLanguage });
          if (c.corrected.trim() === r.input.trim()) continue; // nothing to learn from a correct sentence here
          const { sample, redactions } = redactSample({ id: r.id, awkward: r.input, corrected: c.corrected, reason: c.reason, reasonLanguage: input.reasonLanguage, errorTypes: errorTypesOf(r.input, c.corrected) }, { types: samplePiiTypes(input.teacher) });
          rows.push({ ...base, id: stableId('smp', input.pipelineId, 'traffic', r.id), teacher: input.teacher, source: 'traffic', sourceRequestId: r.id, awkward: sample.awkward, corrected: sample.corrected, reason: sample.reason, errorTypes: sample.errorTypes, redactions: redactions.map(({ field, type, start, end }) => ({ field, type, start, end })) });
          traffic++;
        }
      }
      for (let i = 0; i < rows.length; i += 500) await samples.upsert(rows.slice(i, i + 500), ['id']);
      return { feedback: gold.length, traffic, trafficSkipped };
    },
  };
}
