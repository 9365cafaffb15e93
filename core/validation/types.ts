/**
 * Shapes shared by the validate stage's checks: the candidate triple, rejection reasons with their
 * stable codes, redactions, per-sample results and the stage report.
 */

/** Error types a training triple may be labelled with. */
export const ERROR_TYPES = [
  'article',
  'preposition',
  'agreement',
  'tense',
  'plural',
  'word_order',
  'redundancy',
  'calque',
  'mood',
  'spelling',
  'capitalization',
  'word_choice',
  'punctuation',
  'other',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** A teacher-generated training triple awaiting validation. `id` is the stable sample id. */
export interface CandidateSample {
  id: string;
  awkward: string;
  corrected: string;
  reason: string;
  reasonLanguage: 'ko' | 'en';
  errorTypes: string[];
}

/** The text fields of a sample, in the order checks look at them. */
export const TEXT_FIELDS = ['awkward', 'corrected', 'reason'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/**
 * Stable reason codes, in the order the checks run (cheapest first). Stored with rejected samples
 * and used as keys of the stage report: never rename one.
 */
export const REASON_CODES = [
  'schema_invalid',
  'pii',
  'unchanged',
  'length_ratio',
  'too_different',
  'profanity',
  'too_many_tokens',
  'near_duplicate',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface RejectionReason {
  code: ReasonCode;
  /** Human-readable detail. Never contains the PII or profanity that caused it. */
  detail: string;
  /** The field concerned, where there is one (a zod path such as "errorTypes.0" for schema_invalid). */
  field?: string;
  /** near_duplicate: id of the existing sample this one duplicates. */
  duplicateOf?: string;
  /** near_duplicate: cosine similarity to that sample. */
  similarity?: number;
}

export const PII_TYPES = ['url_credentials', 'email', 'kr_rrn', 'us_ssn', 'credit_card', 'phone', 'passport', 'ipv4', 'ipv6', 'person_name'] as const;
export type PiiType = (typeof PII_TYPES)[number];
/** What is looked for unless asked otherwise: every type found by pattern. Names (`person_name`) are opt-in. */
export const PATTERN_PII_TYPES = PII_TYPES.filter((t) => t !== 'person_name');

/**
 * One PII span. From detectPii: offsets (UTF-16 code units) into the text searched. From a
 * redaction: offsets into the redacted text (`text.slice(start, end)` is the placeholder), and
 * `source` where the value was in the original text.
 */
export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  source?: { start: number; end: number };
}

export interface Redaction extends PiiSpan {
  field: TextField;
}

export interface TokenCounts {
  awkward: number;
  corrected: number;
  reason: number;
  total: number;
}

export interface SampleResult {
  id: string;
  status: 'accepted' | 'rejected';
  /** Empty exactly when accepted. */
  reasons: RejectionReason[];
  /** Every PII replacement made in `sample` (made whatever the PII policy, so no stored text holds PII). */
  redactions: Redaction[];
  /** The sample as validated, PII replaced by typed placeholders. */
  sample: CandidateSample;
  /** o200k_base token counts of the (redacted) sample; absent when the schema check failed. */
  tokens?: TokenCounts;
}

export interface StageReport {
  total: number;
  accepted: number;
  rejected: number;
  /** Samples with at least one reason of each code (a sample with two codes counts under both). */
  byReason: Record<ReasonCode, number>;
  /** Each rejected sample counted once, under its first (cheapest) reason: sums to `rejected`. */
  byFirstReason: Record<ReasonCode, number>;
  /** Samples with at least one redaction. */
  redacted: number;
  /** Redactions per PII type, over all samples. */
  redactionsByType: Record<PiiType, number>;
  durationMs: number;
  /** Where the time went: cheap checks, embedding, vector index calls. */
  timingsMs: { checks: number; embed: number; index: number };
}

export function emptyCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}
