/** Check `unchanged`: the "correction" is the awkward sentence itself, up to whitespace. */
import { normalizeWhitespace } from './text';
import type { CandidateSample, RejectionReason } from './types';

export function checkUnchanged(s: Pick<CandidateSample, 'awkward' | 'corrected'>): RejectionReason[] {
  return normalizeWhitespace(s.awkward.normalize('NFC')) === normalizeWhitespace(s.corrected.normalize('NFC'))
    ? [{ code: 'unchanged', field: 'corrected', detail: 'corrected equals awkward (after whitespace normalisation)' }]
    : [];
}
