/**
 * Properties of the offline teacher's error injection (core/teacher/noise): for any clean sentence,
 * form, example and seed, the corrected side is exactly the clean input, the awkward side differs
 * from it, the labels and the reason are consistent, and the result is a function of the seed.
 */
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../entities/seed/data';
import { INJECTORS, NoiseTeacher } from '../../core/teacher/noise';
import { TeacherTripleSchema } from '../../core/teacher/types';
import { containsHangul } from '../../core/validation/text';
import { CandidateSampleSchema, ERROR_TYPES } from '../../core/validation';
import { fc, sentence } from './settings';

const seed = loadSeed();
const FORMS = [...new Set(seed.texts.map((t) => t.form))];
/** Real clean sentences from the Text Repository, and generated ones (which many injectors miss). */
const cleanText = fc.oneof(fc.constantFrom(...seed.texts.map((t) => t.text)), sentence(2, 16), fc.string({ minLength: 1, maxLength: 80 }));
const request = fc.record({
  text: cleanText,
  form: fc.oneof(fc.constantFrom(...FORMS), fc.string()),
  example: fc.constantFrom(...seed.examples).map((e) => ({ awkward: e.awkward, corrected: e.corrected, reason: e.reasonEn, errorTypes: e.errorTypes })),
  reasonLanguage: fc.constantFrom('ko' as const, 'en' as const),
  seed: fc.integer(),
});

describe('noise teacher properties', () => {
  it('the corrected side is always the clean input, and the awkward side is not', () => {
    const teacher = new NoiseTeacher();
    fc.assert(
      fc.property(request, (req) => {
        const t = teacher.generateSync(req);
        if (t === null) return; // No injector applies to this text: the teacher declines.
        expect(t.corrected).toBe(req.text);
        expect(t.awkward).not.toBe(req.text);
      }),
      { numRuns: 500 },
    );
  });

  it('declines a repository sentence only when no injector applies; otherwise labels and reason match', () => {
    const teacher = new NoiseTeacher();
    fc.assert(
      fc.property(request, fc.constantFrom(...seed.texts.map((t) => t.text)), (req, text) => {
        const t = teacher.generateSync({ ...req, text });
        const applicable = Object.values(INJECTORS).some((inject) => inject(text).length > 0);
        expect(t !== null).toBe(applicable);
        if (!t) return;
        expect(TeacherTripleSchema.safeParse(t).success).toBe(true);
        expect(t!.reasonLanguage).toBe(req.reasonLanguage);
        expect(new Set(t!.errorTypes).size).toBe(t!.errorTypes.length);
        for (const e of t!.errorTypes) expect(ERROR_TYPES).toContain(e);
        expect(t!.errorTypes.length).toBeLessThanOrEqual(2);
        expect(containsHangul(t!.reason)).toBe(req.reasonLanguage === 'ko');
        // One quoted "wrong → right" explanation per injected error.
        expect(t!.reason.split('→').length - 1).toBe(t!.errorTypes.length);
        // What the teacher produces from the repository passes the validate stage's schema.
        expect(CandidateSampleSchema.safeParse({ id: 'x', ...t }).error?.issues ?? []).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('is deterministic for a seed', () => {
    fc.assert(
      fc.property(request, (req) => {
        expect(new NoiseTeacher().generateSync(req)).toEqual(new NoiseTeacher().generateSync(req));
      }),
    );
  });

  it('with maxErrors 1, injects exactly one error', () => {
    const teacher = new NoiseTeacher({ maxErrors: 1 });
    fc.assert(
      fc.property(request, (req) => {
        const t = teacher.generateSync(req);
        if (t) expect(t.errorTypes.length).toBe(1);
      }),
    );
  });

  it('every injection replaces exactly the span it names with something different', () => {
    fc.assert(
      fc.property(cleanText, (text) => {
        for (const [name, inject] of Object.entries(INJECTORS)) {
          for (const inj of inject(text)) {
            expect(inj.type).toBe(name);
            expect(text.slice(inj.start, inj.end)).toBe(inj.right);
            expect(inj.wrong).not.toBe(inj.right);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
